package tidewatch.vpn;

import tidewatch.lambda.InvocationDeadline;

/**
 * Runs one automatic response, each call within {@code deadline}. Never throws: a failure is a result, reported in
 * the notification.
 */
interface Responder {
    ResponseResult run(Response response, InvocationDeadline deadline);
}
