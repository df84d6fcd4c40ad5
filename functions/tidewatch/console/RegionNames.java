package tidewatch.console;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Region long names, as alarm notifications through SNS write them ("EU (Ireland)"), mapped back to region codes for
 * console links. AWS has renamed "EU (...)" to "Europe (...)" in places, so both spellings are read.
 */
public final class RegionNames {
    private static final Pattern CODE = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("us east (n. virginia)", "us-east-1"),
            Map.entry("us east (ohio)", "us-east-2"),
            Map.entry("us west (n. california)", "us-west-1"),
            Map.entry("us west (oregon)", "us-west-2"),
            Map.entry("africa (cape town)", "af-south-1"),
            Map.entry("asia pacific (hong kong)", "ap-east-1"),
            Map.entry("asia pacific (tokyo)", "ap-northeast-1"),
            Map.entry("asia pacific (seoul)", "ap-northeast-2"),
            Map.entry("asia pacific (osaka)", "ap-northeast-3"),
            Map.entry("asia pacific (mumbai)", "ap-south-1"),
            Map.entry("asia pacific (hyderabad)", "ap-south-2"),
            Map.entry("asia pacific (singapore)", "ap-southeast-1"),
            Map.entry("asia pacific (sydney)", "ap-southeast-2"),
            Map.entry("asia pacific (jakarta)", "ap-southeast-3"),
            Map.entry("asia pacific (melbourne)", "ap-southeast-4"),
            Map.entry("canada (central)", "ca-central-1"),
            Map.entry("eu (frankfurt)", "eu-central-1"),
            Map.entry("eu (zurich)", "eu-central-2"),
            Map.entry("eu (stockholm)", "eu-north-1"),
            Map.entry("eu (milan)", "eu-south-1"),
            Map.entry("eu (spain)", "eu-south-2"),
            Map.entry("eu (ireland)", "eu-west-1"),
            Map.entry("eu (london)", "eu-west-2"),
            Map.entry("eu (paris)", "eu-west-3"),
            Map.entry("israel (tel aviv)", "il-central-1"),
            Map.entry("middle east (uae)", "me-central-1"),
            Map.entry("middle east (bahrain)", "me-south-1"),
            Map.entry("south america (sao paulo)", "sa-east-1"),
            Map.entry("south america (são paulo)", "sa-east-1"),
            Map.entry("china (beijing)", "cn-north-1"),
            Map.entry("china (ningxia)", "cn-northwest-1"),
            Map.entry("aws govcloud (us-east)", "us-gov-east-1"),
            Map.entry("aws govcloud (us-west)", "us-gov-west-1"));

    private RegionNames() {}

    /** The code for a long name, or the value itself when it already is a code; empty when unknown. */
    public static Optional<String> code(String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String key = name.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (CODE.matcher(key).matches()) {
            return Optional.of(key);
        }
        if (key.startsWith("europe (")) {
            key = "eu (" + key.substring("europe (".length());
        }
        return Optional.ofNullable(CODES.get(key));
    }

    /** The region of an ARN ("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:name"), or null when it holds none. */
    public static String fromArn(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        // Only a region code: the region becomes the host of console links, so other text must never pass.
        return parts.length >= 5 && parts[0].equals("arn") && CODE.matcher(parts[3]).matches() ? parts[3] : null;
    }

    /** The account of an ARN, or null. */
    public static String accountFromArn(String arn) {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length >= 5 && parts[0].equals("arn") && !parts[4].isBlank() ? parts[4] : null;
    }
}
