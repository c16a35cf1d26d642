package io.gameevents;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in README.md, docs/*.md and bench/*.md leads somewhere: its file exists, and its
 * {@code #anchor} is a heading of that file (as GitHub derives anchors from headings). Pages move; a link that
 * breaks when one does should fail the build, not a reader.
 */
class DocsLinksTest {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkResolvesToAFileAndEveryAnchorToAHeading() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
    for (String directory : List.of("docs", "bench")) {
      try (Stream<Path> files = Files.list(Path.of(directory))) {
        files.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
      }
    }
    List<String> broken = new ArrayList<>();
    Map<Path, Set<String>> anchors = new HashMap<>();
    for (Path page : pages) {
      for (String target : links(page)) {
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:: outside the repository
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(page + ": " + target + " (no such file)");
        } else if (hash >= 0) {
          String anchor = target.substring(hash + 1);
          Set<String> known = anchors.computeIfAbsent(resolved, DocsLinksTest::headingAnchors);
          if (!known.contains(anchor)) {
            broken.add(page + ": " + target + " (no such heading in " + resolved.getFileName() + ")");
          }
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void anchorsAreDerivedAsGitHubDerivesThem() {
    assertThat(anchor("Acknowledgement modes: `spool` or `sink`")).isEqualTo("acknowledgement-modes-spool-or-sink");
    assertThat(anchor("The contract: /openapi.yaml, /docs and /schemas"))
        .isEqualTo("the-contract-openapiyaml-docs-and-schemas");
    assertThat(anchor("Browser games (CORS)")).isEqualTo("browser-games-cors");
  }

  /** Link targets outside fenced code blocks and code spans. */
  private static List<String> links(Path page) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : Files.readAllLines(page)) {
      if (line.trim().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  private static Set<String> headingAnchors(Path page) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean fenced = false;
    try {
      for (String line : Files.readAllLines(page)) {
        if (line.trim().startsWith("```")) {
          fenced = !fenced;
        }
        if (!fenced && line.matches("^#{1,6} .*")) {
          String base = anchor(line.replaceFirst("^#+ ", ""));
          int count = seen.merge(base, 1, Integer::sum);
          anchors.add(count == 1 ? base : base + "-" + (count - 1));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return anchors;
  }

  static String anchor(String heading) {
    return heading.trim().toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N} _-]", "")
        .replace(' ', '-');
  }
}
