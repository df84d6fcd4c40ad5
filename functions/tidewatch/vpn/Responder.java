package tidewatch.vpn;

/** Runs one automatic response. Never throws: a failure is a result, reported in the notification. */
public interface Responder {
    ResponseResult run(Response response);
}
