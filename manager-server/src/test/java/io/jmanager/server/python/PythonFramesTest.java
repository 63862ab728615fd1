package io.jmanager.server.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jmanager.server.python.PythonFrames.Decoded;
import io.jmanager.server.python.PythonFrames.Frame;
import io.jmanager.server.python.PythonFrames.NeedMore;
import io.jmanager.server.python.PythonFrames.Refused;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PythonFramesTest {
  private static final long MAX = 1 << 20;
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void header_isFourBytesBigEndian_upToTheSignedIntMaximum() {
    assertArrayEquals(HEX.parseHex("00000000"), PythonFrames.header(0));
    assertArrayEquals(HEX.parseHex("00000105"), PythonFrames.header(261));
    assertArrayEquals(HEX.parseHex("7fffffff"), PythonFrames.header(0x7fffffffL));
  }

  @Test
  void header_aboveTheSignedIntMaximum_isMinusOneThenEightBytes() {
    assertArrayEquals(HEX.parseHex("ffffffff0000000080000000"), PythonFrames.header(0x80000000L));
    assertArrayEquals(HEX.parseHex("ffffffff0000000123456789"), PythonFrames.header(0x123456789L));
  }

  @Test
  void header_refusesANegativeLength() {
    assertThrows(IllegalArgumentException.class, () -> PythonFrames.header(-1));
  }

  @Test
  void frame_isHeaderThenBody() {
    assertArrayEquals(HEX.parseHex("00000003616263"), PythonFrames.frame("abc".getBytes()));
  }

  @Test
  void decode_needsMore_untilTheHeaderIsIn() {
    for (int n = 0; n < 4; n++) {
      assertInstanceOf(NeedMore.class, decode(HEX.parseHex("00000003616263"), n));
    }
  }

  @Test
  void decode_needsMore_untilTheBodyIsIn() {
    byte[] frame = HEX.parseHex("00000003616263");
    assertInstanceOf(NeedMore.class, decode(frame, 4));
    assertInstanceOf(NeedMore.class, decode(frame, 6));
    assertEquals(new Frame(4, 3), decode(frame, 7));
  }

  @Test
  void decode_findsTheFirstFrame_whenMoreIsBuffered() {
    Frame f = (Frame) decode(HEX.parseHex("0000000161" + "00000001"), 9);
    assertEquals(4, f.headerBytes());
    assertEquals(1, f.bodyBytes());
    assertEquals(5, f.frameBytes());
  }

  @Test
  void decode_anEmptyBody_isAFrame() {
    assertEquals(new Frame(4, 0), decode(HEX.parseHex("00000000"), 4));
  }

  @Test
  void decode_longForm_readsTheEightByteLength() {
    byte[] frame = HEX.parseHex("ffffffff" + "0000000000000002" + "6869");
    for (int n = 4; n < 14; n++) {
      assertInstanceOf(NeedMore.class, decode(frame, n), "with " + n + " bytes");
    }
    assertEquals(new Frame(12, 2), decode(frame, 14));
  }

  @Test
  void decode_refusesABodyOverTheLimit_beforeItArrives() {
    Refused r = (Refused) decode(HEX.parseHex("00100001"), 4);
    assertTrue(r.reason().contains("1048577"), r.reason());
    Refused longForm = (Refused) decode(HEX.parseHex("ffffffff0000000100000000"), 12);
    assertTrue(longForm.reason().contains("4294967296"), longForm.reason());
  }

  @Test
  void decode_acceptsABodyOfExactlyTheLimit() {
    ByteBuffer b = ByteBuffer.allocate(4 + (int) MAX).putInt((int) MAX).position(0);
    assertEquals(new Frame(4, MAX), PythonFrames.decode(b, MAX));
  }

  @Test
  void decode_refusesNegativeLengthsOtherThanMinusOne() {
    assertInstanceOf(Refused.class, decode(HEX.parseHex("fffffffe"), 4));
    assertInstanceOf(Refused.class, decode(HEX.parseHex("80000000"), 4));
  }

  @Test
  void decode_refusesALongFormLengthOfTwoToTheSixtyThreeOrMore() {
    Refused r = (Refused) decode(HEX.parseHex("ffffffff" + "ffffffffffffffff"), 12);
    assertTrue(r.reason().contains("18446744073709551615"), r.reason());
  }

  @Test
  void decode_readsFromThePosition_andDoesNotMoveIt() {
    ByteBuffer b = ByteBuffer.wrap(HEX.parseHex("eeee" + "00000001" + "7a"));
    b.position(2);
    assertEquals(new Frame(4, 1), PythonFrames.decode(b, MAX));
    assertEquals(2, b.position());
  }

  @Test
  void headerAndDecode_roundTrip() {
    for (long n : new long[] {0, 1, 255, 256, 65536, 0x7fffffffL, 0x80000000L, 1L << 40}) {
      byte[] header = PythonFrames.header(n);
      Decoded d = PythonFrames.decode(ByteBuffer.wrap(header), Long.MAX_VALUE);
      int expectedHeader = n > 0x7fffffffL ? 12 : 4;
      assertEquals(expectedHeader, header.length);
      if (n == 0) {
        assertEquals(new Frame(4, 0), d);
      } else {
        assertInstanceOf(NeedMore.class, d, "header only, for " + n);
      }
    }
  }

  private static Decoded decode(byte[] bytes, int available) {
    return PythonFrames.decode(ByteBuffer.wrap(bytes, 0, available), MAX);
  }
}
