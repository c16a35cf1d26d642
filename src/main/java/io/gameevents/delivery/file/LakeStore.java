package io.gameevents.delivery.file;

import io.gameevents.privacy.ErasableStore;
import io.gameevents.privacy.StoreReceipt;
import io.gameevents.privacy.Subject;
import io.gameevents.privacy.SubjectRecords;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The file sink's lake as an erasable store: every record file under {@code delivery.file.directory}, sealed or in
 * progress, plain or gzip, is replaced by a copy without the subject's records ({@link RecordFileRewrite}).
 *
 * <p>The file in progress belongs to its sink's writer thread, so each sink writing here seals it first, on that
 * thread; the store then rewrites it like any sealed file, and the sink's next write opens a new one. Events of the
 * subject that passed the suppression check before the request took effect and arrive after the seal land in that
 * new file: the request's orchestration suppresses first, then erases, so only what was already in flight can.
 */
public final class LakeStore implements ErasableStore {

  public static final String NAME = "lake";

  private final RecordTree tree;
  private final Clock clock;

  /** The lake of the configured sink, when it is the file sink (a Firehose node has no lake; its spool is a store). */
  public static java.util.Optional<LakeStore> of(io.gameevents.delivery.ConfiguredSink<?> sink, Clock clock) {
    if (sink.type() == FileSinkType.TYPE && sink.config() instanceof FileSinkConfig files) {
      return java.util.Optional.of(new LakeStore(Path.of(files.directory()), clock));
    }
    return java.util.Optional.empty();
  }

  public LakeStore(Path root, Clock clock) {
    this(root, clock, RecordFileRewrite.BeforeReplace.NOTHING);
  }

  LakeStore(Path root, Clock clock, RecordFileRewrite.BeforeReplace beforeReplace) {
    this.tree = new RecordTree(root, beforeReplace);
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StoreReceipt erase(Subject subject) throws IOException {
    RecordTree.Erased erased = tree.rewrite((line, from, to) -> SubjectRecords.belongsTo(subject, line, from, to));
    return new StoreReceipt(NAME, erased.removed(), erased.rewritten(), clock.instant(),
        erased.sealed() + " file(s) in progress sealed first; each file was replaced whole by its rewritten copy");
  }
}
