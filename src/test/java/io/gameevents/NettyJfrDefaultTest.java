package io.gameevents;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Netty's allocator JFR events are off by default in the fat jar, and on again with -Dio.netty.jfr.enabled=true. */
class NettyJfrDefaultTest {

  private final String before = System.getProperty(Main.NETTY_JFR);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(Main.NETTY_JFR);
    } else {
      System.setProperty(Main.NETTY_JFR, before);
    }
  }

  @Test
  void offUnlessTheOperatorSaysOtherwise() {
    System.clearProperty(Main.NETTY_JFR);
    Main.defaultNettyJfrOff();
    assertThat(System.getProperty(Main.NETTY_JFR)).isEqualTo("false");

    System.setProperty(Main.NETTY_JFR, "true");
    Main.defaultNettyJfrOff();
    assertThat(System.getProperty(Main.NETTY_JFR)).isEqualTo("true");
  }
}
