package io.jmanager.server.journal;

import java.util.Arrays;

/**
 * One effect on one object. {@code seq} orders every record of a daemon (and of its successors:
 * it never goes back); records of one object are appended in the order their effects happened.
 */
record Record(long seq, int objectId, Op op, Object[] operands) {
  Object operand(int i) {
    return operands[i];
  }

  @Override
  public String toString() {
    return "#" + seq + " object " + objectId + " " + op + " " + Arrays.deepToString(operands);
  }
}
