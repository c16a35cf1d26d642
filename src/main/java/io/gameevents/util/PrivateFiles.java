package io.gameevents.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Creates the service's data files and directories readable by its own user only (0600 and 0700): events,
 * spool segments and the dedup journal hold players' ids and payloads. The mode is given at creation, so no
 * other user can open a file in the moment between creation and a chmod, and the umask can only take bits away
 * from it. Every open refuses to follow a symbolic link: whoever could plant one in a data directory would
 * otherwise have the service truncate or overwrite its target. On a file system without POSIX permissions
 * (Windows) files get that system's defaults.
 */
public final class PrivateFiles {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final FileAttribute<?>[] FILE = POSIX
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
      : new FileAttribute<?>[0];
  private static final FileAttribute<?>[] DIRECTORY = POSIX
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
      : new FileAttribute<?>[0];

  private PrivateFiles() {
  }

  /** {@link Files#createDirectories}, each directory it creates 0700 (existing ones are left as they are). */
  public static Path createDirectories(Path directory) throws IOException {
    return Files.createDirectories(directory, DIRECTORY);
  }

  /** {@link FileChannel#open} not following a link; a file it creates is 0600. */
  public static FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> all = new HashSet<>(List.of(options));
    all.add(LinkOption.NOFOLLOW_LINKS);
    return FileChannel.open(file, all, FILE);
  }

  /**
   * Replaces {@code file} with {@code text} at once (a temporary file beside it, forced, then moved over it): a crash
   * leaves the old content or the new, and the file is 0600 like every other.
   */
  public static void writeAtomically(Path file, String text) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    try (FileChannel channel = open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Whether {@code path} is a regular file itself, not a link to one (what crash recovery may touch). */
  public static boolean isRegularFile(Path path) {
    return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
  }
}
