package tidewatch.vpn;

/** How an alarm state change reached the function; logged, and the reason a shape may lack a field. */
public enum AlarmDelivery {
    SNS,
    EVENTBRIDGE,
    LAMBDA_ACTION
}
