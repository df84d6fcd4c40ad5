package tidewatch.vpn;

/** Runs one automatic response. Never throws: a failure is a result, reported in the notification. */
interface Responder {
    ResponseResult run(Response response);
}
