package tidewatch.console;

/**
 * The AWS partitions Tidewatch can run in, each with its own console. A region belongs to exactly one, so the
 * partition of a resource's ARN is also the partition of the region code read from it.
 */
public enum Partition {
    /** "aws" in ARNs. */
    AWS("console.aws.amazon.com"),
    /** "aws-cn" in ARNs. */
    CHINA("console.amazonaws.cn"),
    /** "aws-us-gov" in ARNs. */
    GOV_CLOUD("console.amazonaws-us-gov.com");

    private final String consoleHost;

    Partition(String consoleHost) {
        this.consoleHost = consoleHost;
    }

    String consoleHost() {
        return consoleHost;
    }

    /** The partition of a region code ("cn-north-1" is in aws-cn, "us-gov-west-1" in aws-us-gov, the rest in aws). */
    public static Partition ofRegion(String region) {
        if (region.startsWith("cn-")) {
            return CHINA;
        }
        return region.startsWith("us-gov-") ? GOV_CLOUD : AWS;
    }
}
