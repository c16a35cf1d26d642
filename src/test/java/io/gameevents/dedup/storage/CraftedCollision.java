package io.gameevents.dedup.storage;

/**
 * Two events of two apps whose identities collided under the unkeyed hash ({@link OldMurmurDedupHash}): the
 * attacker's id was computed once, offline, by inverting MurmurHash3's finalisation and last block for the
 * victim's digest and searching the block before it for allowed event_id characters ([A-Za-z0-9._:-]).
 * Anyone with {@link #ATTACKER_APP}'s public key could send it first and make the victim's event a "duplicate".
 */
public final class CraftedCollision {

  public static final String VICTIM_APP = "com.other.game";
  /** A predictable id, as games often number purchases. */
  public static final String VICTIM_EVENT_ID = "purchase-20261207-0001";
  public static final String ATTACKER_APP = "com.game.test";
  public static final String ATTACKER_EVENT_ID = "x-hwWMobxX_koH_VoYAKwY4et_3LPMOLcR";

  private CraftedCollision() {
  }
}
