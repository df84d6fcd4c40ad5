package tidewatch.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tidewatch.config.ConfigurationException;

class KeepaliveTargetTest {

    @Test
    void hostAndPortIsATcpConnect() {
        KeepaliveTarget target = KeepaliveTarget.parse(" db.dc.internal:5432 ");

        assertEquals(new KeepaliveTarget.Tcp("db.dc.internal:5432", "db.dc.internal", 5432), target);
    }

    @Test
    void ipAddressesWork() {
        assertEquals(new KeepaliveTarget.Tcp("10.20.0.5:22", "10.20.0.5", 22), KeepaliveTarget.parse("10.20.0.5:22"));
        assertEquals(new KeepaliveTarget.Tcp("[fd00::5]:443", "fd00::5", 443), KeepaliveTarget.parse("[fd00::5]:443"));
    }

    @Test
    void httpsUrlDefaultsToPort443AndTheRootPath() {
        KeepaliveTarget.Http target = (KeepaliveTarget.Http) KeepaliveTarget.parse("HTTPS://intranet.dc.internal");

        assertEquals("intranet.dc.internal", target.host());
        assertEquals(443, target.port());
        assertTrue(target.tls());
        assertEquals("/", target.pathAndQuery());
        assertEquals("intranet.dc.internal", target.hostHeader());
        assertEquals("HTTPS://intranet.dc.internal", target.written());
    }

    @Test
    void httpUrlKeepsItsPortPathAndQuery() {
        KeepaliveTarget.Http target = (KeepaliveTarget.Http) KeepaliveTarget.parse("http://10.20.0.5:8080/health/live?from=tidewatch#top");

        assertEquals("10.20.0.5", target.host());
        assertEquals(8080, target.port());
        assertFalse(target.tls());
        assertEquals("/health/live?from=tidewatch", target.pathAndQuery());
        assertEquals("10.20.0.5:8080", target.hostHeader());
    }

    @Test
    void ipv6UrlHostIsBracketedOnlyInTheHostHeader() {
        KeepaliveTarget.Http target = (KeepaliveTarget.Http) KeepaliveTarget.parse("http://[fd00::5]:8080/");

        assertEquals("fd00::5", target.host());
        assertEquals("[fd00::5]:8080", target.hostHeader());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "db", "db:", ":5432", "db:0", "db:65536", "db:99999999", "db:http", "db:-1", "db:+80", "db host:22",
        "fd00::5:22", "[zz::1]:22", "db/x:22", "ftp://files.dc.internal", "ldap://dc1.dc.internal:389", "https://",
        "http://intranet.dc.internal:99999/", "http://intranet.dc.internal:abc/", "http://intra net/"
    })
    void anUnusableItemNamesTheSettingAndTheItem(String item) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> KeepaliveTarget.parse(item));

        assertTrue(error.getMessage().contains("KEEPALIVE_TARGETS"), error.getMessage());
        assertTrue(error.getMessage().contains("'" + item + "'"), error.getMessage());
    }

    @Test
    void credentialsInAUrlAreRejectedWithoutEchoingThem() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> KeepaliveTarget.parse("https://admin:s3cret@intranet.dc.internal/health"));

        assertTrue(error.getMessage().contains("KEEPALIVE_TARGETS"), error.getMessage());
        assertTrue(error.getMessage().contains("https://intranet.dc.internal/health"), error.getMessage());
        assertFalse(error.getMessage().contains("s3cret"), error.getMessage());
    }
}
