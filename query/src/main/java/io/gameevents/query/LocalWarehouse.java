package io.gameevents.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * An in-memory DuckDB database with the lake's views. Extensions are never installed nor loaded on
 * demand, and the configuration is locked before any user SQL runs: a query cannot reach the network.
 * JSON (read_json, the JSON type) and ICU (time zones) are linked into the driver statically.
 */
final class LocalWarehouse implements AutoCloseable {

  /** What each query must answer to; {@link #consume} reads its rows before the next one runs. */
  @FunctionalInterface
  interface Rows {
    void consume(ResultSet rows) throws SQLException, IOException;
  }

  private final Path lakeDirectory;
  private final Path refusedDirectory;
  private final List<CustomColumns.Column> customColumns;
  private final Connection connection;
  private Lake lake;
  private Lake refused;
  private List<String> ddl;

  private LocalWarehouse(Path lakeDirectory, Path refusedDirectory, List<CustomColumns.Column> customColumns,
                         Connection connection) {
    this.lakeDirectory = lakeDirectory;
    this.refusedDirectory = refusedDirectory;
    this.customColumns = customColumns;
    this.connection = connection;
  }

  /** Without a refused lake (its view is empty) and without a tombstone salt. */
  static LocalWarehouse open(Path lakeDirectory, Path schemaDirectory) throws IOException, SQLException {
    return open(lakeDirectory, null, schemaDirectory, null);
  }

  static LocalWarehouse open(Path lakeDirectory, Path refusedDirectory, Path schemaDirectory)
      throws IOException, SQLException {
    return open(lakeDirectory, refusedDirectory, schemaDirectory, null);
  }

  /**
   * @param refusedDirectory the refused lake (delivery.file.refused_directory), or null for none
   * @param schemaDirectory  the service's validation.schema_directory for custom columns, or null
   * @param tombstoneSalt    the service's privacy.tombstone_salt, or null: then a lake holding a tombstone is refused,
   *                         since its erased player could not be told apart and would be shown
   */
  static LocalWarehouse open(Path lakeDirectory, Path refusedDirectory, Path schemaDirectory, String tombstoneSalt)
      throws IOException, SQLException {
    List<CustomColumns.Column> custom = CustomColumns.read(schemaDirectory);
    Properties settings = new Properties();
    settings.setProperty("autoinstall_known_extensions", "false");
    settings.setProperty("autoload_known_extensions", "false");
    LocalWarehouse warehouse = new LocalWarehouse(lakeDirectory, refusedDirectory, custom,
        DriverManager.getConnection("jdbc:duckdb:", settings));
    try {
      warehouse.execute("SET TimeZone = 'UTC'"); // event_date and printed timestamps are UTC, as in Snowflake
      warehouse.salt(tombstoneSalt);
      warehouse.refreshViews();
      if (tombstoneSalt == null) {
        warehouse.refuseUnreadableTombstones();
      }
      warehouse.execute("SET lock_configuration = true");
    } catch (IOException | SQLException | RuntimeException e) {
      warehouse.close();
      throw e;
    }
    return warehouse;
  }

  private void salt(String tombstoneSalt) throws SQLException {
    execute(LakeViews.SALT_TABLE);
    if (tombstoneSalt != null) {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO privacy_tombstone_salt VALUES (?)")) {
        insert.setString(1, tombstoneSalt);
        insert.execute();
      }
    }
  }

  private void refuseUnreadableTombstones() throws SQLException, IOException {
    boolean[] any = new boolean[1];
    query("SELECT 1 FROM privacy_tombstones LIMIT 1", rows -> any[0] = rows.next());
    if (any[0]) {
      throw new UsageException("the lake holds privacy tombstones: give the service's privacy.tombstone_salt"
          + " (environment variable " + QueryOptions.SALT_VARIABLE + " or --tombstone-salt) so erased players stay"
          + " hidden");
    }
  }

  /** Runs one statement; retried once over a fresh file list when a listed file was renamed meanwhile. */
  void query(String sql, Rows rows) throws SQLException, IOException {
    try {
      run(sql, rows);
    } catch (SQLException e) {
      if (!aListedFileMoved()) {
        throw e;
      }
      refreshViews(); // the sink sealed (renamed) an in-progress file between listing and reading
      run(sql, rows);
    }
  }

  private void run(String sql, Rows rows) throws SQLException, IOException {
    try (Statement statement = connection.createStatement()) {
      if (statement.execute(sql)) {
        try (ResultSet result = statement.getResultSet()) {
          rows.consume(result);
        }
      }
    }
  }

  private void refreshViews() throws IOException, SQLException {
    listAndDefine();
    try {
      for (String statement : ddl.subList(1, ddl.size())) {
        execute(statement); // the tombstone table reads the files
      }
    } catch (SQLException e) {
      if (!aListedFileMoved()) {
        throw e;
      }
      listAndDefine(); // the sink sealed (renamed) an in-progress file between listing and reading
      for (String statement : ddl.subList(1, ddl.size())) {
        execute(statement);
      }
    }
  }

  /** Lists the lake's files and defines the view over them; the rest of {@link #ddl} is left to run. */
  private void listAndDefine() throws IOException, SQLException {
    Lake previous = lake;
    lake = Lake.open(lakeDirectory);
    if (previous != null) {
      previous.close();
    }
    ddl = LakeViews.ddl(lake, customColumns);
    execute(ddl.get(0));
    Lake previousRefused = refused;
    // a missing directory is an empty lake, so null (no refused lake) opens one with nothing in it
    refused = Lake.open(refusedDirectory == null ? lakeDirectory.resolve("no-refused-lake") : refusedDirectory);
    if (previousRefused != null) {
      previousRefused.close();
    }
    execute(LakeViews.refusedView(refused));
  }

  private boolean aListedFileMoved() {
    return moved(lake) || moved(refused);
  }

  private static boolean moved(Lake lake) {
    return lake.plainFiles().stream().anyMatch(file -> !Files.exists(file))
        || lake.gzipFiles().stream().anyMatch(file -> !Files.exists(file));
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException(e);
    } finally {
      try {
        if (lake != null) {
          lake.close();
        }
      } finally {
        if (refused != null) {
          refused.close();
        }
      }
    }
  }
}
