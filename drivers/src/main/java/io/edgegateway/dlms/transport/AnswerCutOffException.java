package io.edgegateway.dlms.transport;

/**
 * An answer began but did not finish before the deadline: a device dripping its answer, or a line that broke
 * mid-frame. A timeout, not a bad frame; the rest may still arrive, so the link is no longer in step.
 */
public class AnswerCutOffException extends LinkTimeoutException {

    public AnswerCutOffException(String message) {
        super(message);
    }
}
