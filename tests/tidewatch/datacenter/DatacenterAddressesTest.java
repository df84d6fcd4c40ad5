package tidewatch.datacenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tidewatch.config.ConfigurationException;

class DatacenterAddressesTest {
    private static final DatacenterAddresses CITY = DatacenterAddresses.parse("10.20.0.0/16", List.of("sql01.city.local"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            // Node's net module and the SQL Server driver (tedious), as the team's apps log them.
            "Error: connect ETIMEDOUT 10.20.1.5:1433|a connection timeout to 10.20.1.5:1433",
            "ConnectionError: Failed to connect to 10.20.1.5:1433 in 15000ms|a connection timeout to 10.20.1.5:1433",
            "Error: connect ECONNREFUSED 10.20.1.5:1433|a refused connection to 10.20.1.5:1433",
            "Error: connect EHOSTUNREACH 10.20.7.9:5432|an unreachable host to 10.20.7.9:5432",
            "ConnectionError: Failed to connect to sql01.city.local:1433 - Could not connect (sequence)|a failed connection to sql01.city.local:1433",
            "Login failed: connection to SQL01.CITY.LOCAL, timeout|a connection timeout to sql01.city.local",
            "java.net.SocketTimeoutException: Connect timed out (10.20.0.1)|a connection timeout to 10.20.0.1",
            // Not the datacenter, or not a failure: no link.
            "Error: connect ETIMEDOUT 10.21.1.5:1433|none",
            "Error: connect ETIMEDOUT 172.16.0.1:443|none",
            "Listening on 10.20.1.5:3000|none",
            "GET /admin/ok 200 3ms|none",
            "connect ETIMEDOUT 110.20.1.5:1433|none",
            "connect ETIMEDOUT 10.20.1.500:1433|none",
            "timeout talking to sql01.city.local.evil.example|none",
            "timeout talking to xsql01.city.local|none",
    })
    void findsTheLineThatShowsAFailedConnectionToTheDatacenter(String line, String finding) {
        assertEquals(Optional.ofNullable(finding), CITY.connectionFailure(List.of("starting registry-certs", line, "exiting")));
    }

    @Test
    void theFirstMatchingLineSpeaksAndAHostileLineIsReadOnlyInPart() {
        assertEquals(Optional.of("a refused connection to 10.20.1.5:1433"), CITY.connectionFailure(List.of(
                "Error: connect ECONNREFUSED 10.20.1.5:1433", "Error: connect ETIMEDOUT 10.20.1.6:1433")));
        String hostile = "x".repeat(1_000_000) + " connect ETIMEDOUT 10.20.1.5:1433";
        assertEquals(Optional.empty(), CITY.connectionFailure(List.of(hostile)));
        assertEquals(Optional.empty(), DatacenterAddresses.parse("", List.of()).connectionFailure(List.of("connect ETIMEDOUT 10.20.1.5:1433")));
    }

    @Test
    void containsIsCidrArithmetic() {
        DatacenterAddresses net = DatacenterAddresses.parse("10.20.0.0/16", List.of());
        assertTrue(net.contains("10.20.255.255"));
        assertFalse(net.contains("10.21.0.0"));
        assertTrue(DatacenterAddresses.parse("0.0.0.0/0", List.of()).contains("8.8.8.8"));
        assertTrue(DatacenterAddresses.parse("10.20.1.5/32", List.of()).contains("10.20.1.5"));
        assertFalse(DatacenterAddresses.parse("10.20.1.5/32", List.of()).contains("10.20.1.4"));
    }

    @Test
    void aBadSettingFailsInitNamingTheVariable() {
        assertTrue(assertThrows(ConfigurationException.class, () -> DatacenterAddresses.parse("10.20.0.0", List.of()))
                .getMessage().startsWith("DATACENTER_CIDR: '10.20.0.0'"));
        assertTrue(assertThrows(ConfigurationException.class, () -> DatacenterAddresses.parse("10.20.0.0/33", List.of()))
                .getMessage().startsWith("DATACENTER_CIDR"));
        assertTrue(assertThrows(ConfigurationException.class, () -> DatacenterAddresses.parse("", List.of("sql01;rm -rf")))
                .getMessage().startsWith("DATACENTER_HOSTS: 'sql01;rm -rf'"));
    }
}
