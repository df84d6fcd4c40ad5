package tidewatch.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/** Only the URLConnection client ships: the heavier Apache and Netty clients must stay excluded from the build. */
class HttpClientChoiceTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "software.amazon.awssdk.http.apache.ApacheHttpClient",
            "software.amazon.awssdk.http.apache5.Apache5HttpClient",
            "software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient",
            "software.amazon.awssdk.http.crt.AwsCrtHttpClient"})
    void heavierHttpClientsAreNotOnTheClasspath(String className) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(className));
    }

    @org.junit.jupiter.api.Test
    void everyClientUsesTheUrlConnectionClient() {
        // Wrapped so that small bodies go out buffered (BufferedBodyHttpClient); the client underneath is the same.
        SdkHttpClient http = AwsClients.httpClient(Duration.ofSeconds(1));
        assertEquals(BufferedBodyHttpClient.class, http.getClass());
        assertEquals(UrlConnectionHttpClient.create().clientName(), http.clientName());
    }
}
