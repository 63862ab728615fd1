package io.jmanager.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.jmanager.client.Manager;
import io.jmanager.client.SharedDict;
import io.jmanager.wire.Message;
import io.jmanager.wire.MethodTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Against a daemon with a 128 MB heap: a 20-byte call whose argument claims 2<sup>30</sup>
 * elements or characters (an {@code ArrayList}, a {@code HashSet}, a {@code List.of}, an {@code
 * Object[]}, a {@code long[]}, a string) fails that call at once, before the daemon allocates
 * gigabytes for it; the connection goes on and a bystander is served throughout, its data intact.
 */
class AnnouncedLengthTest {
  private static final int HUGE = 1 << 30;
  @Test
  void hugeAnnouncedLengths_failTheirCall_beforeAnyAllocation() throws Exception {
    try (ManagerProcess daemon = ManagerProcess.start("--heap", "128m");
        Manager bystander = daemon.connect();
        RawClient raw = new RawClient(daemon.address())) {
      SharedDict<String, String> mine = bystander.dict("mine");
      mine.put("kept", "safe");
      raw.authenticate(daemon.authkey());
      raw.send(new Message.Bind(1, "dict", "target", new Object[0], MethodTable.of(SharedDict.class).hash()));
      int dict = ((Message.Bound) raw.receive()).objectId();
      int put = MethodTable.of(SharedDict.class).idOf(SharedDict.class.getMethod("put", Object.class, Object.class));

      List<BiConsumer<Kryo, Output>> claims = List.of(
          (k, o) -> collection(k, o, ArrayList.class),
          (k, o) -> collection(k, o, HashSet.class),
          (k, o) -> collection(k, o, List.of(1, 2, 3).getClass()),
          (k, o) -> array(k, o, Object[].class),
          (k, o) -> array(k, o, long[].class),
          (k, o) -> {
            k.writeClass(o, String.class);
            o.writeVarIntFlag(true, HUGE + 1, true); // UTF-8, 2^30 chars
          });
      long callId = 10;
      for (BiConsumer<Kryo, Output> claim : claims) {
        byte[] frame = raw.callFrame(callId, dict, put, 2, (k, o) -> {
          k.writeClassAndObject(o, "k");
          claim.accept(k, o);
        });
        assertTrue(frame.length < 32, "a small frame: " + frame.length + " bytes");
        raw.writeRaw(frame);
        Message.Failure f = (Message.Failure) raw.receive();
        assertEquals(callId, f.callId());
        assertEquals(IllegalArgumentException.class.getName(), f.type());
        assertTrue(f.message().contains("announced"), f.message());
        assertEquals("safe", mine.get("kept"), "the bystander is served");
        callId++;
      }
      raw.send(new Message.Call(callId, dict, put, new Object[] {"k", "v"}, 1));
      assertEquals(callId, ((Message.Reply) raw.receive()).callId(), "the connection goes on");
      assertEquals(1, bystander.dict("target").size(), "only the honest put was stored");
      assertTrue(daemon.isAlive());
    }
  }

  private static void collection(Kryo k, Output o, Class<?> type) {
    k.writeClass(o, type);
    o.writeVarIntFlag(false, HUGE + 1, true); // elements not all of one type; 2^30 of them
  }

  private static void array(Kryo k, Output o, Class<?> type) {
    k.writeClass(o, type);
    o.writeVarInt(HUGE + 1, true);
  }
}
