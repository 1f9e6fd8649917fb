package io.candlebus.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from the system's Debian packages, driven by the system's chromedriver: nothing is
 * downloaded. Each instance has its own fresh profile in a temporary directory, removed on close.
 */
public final class Browser implements AutoCloseable {
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** Long enough for a loaded 2-core box; every wait polls, so a healthy run never waits this long. */
  public static final Duration PATIENCE = Duration.ofSeconds(30);

  // Selenium bundles DevTools bindings for a few Chrome versions only and warns about every other one; these
  // tests use no DevTools (WebDriver commands only). Held here so the level outlives garbage collection.
  private static final Logger DEVTOOLS_LOG = quiet("org.openqa.selenium.devtools");
  private static final Logger CHROMIUM_LOG = quiet("org.openqa.selenium.chromium");

  private final Path profile;
  private final ChromeDriver driver;
  private Supplier<String> describer = () -> "";

  public Browser() {
    for (String exe : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(exe))) {
        throw new IllegalStateException(exe + " is missing: install Debian's chromium and chromium-driver "
            + "(.ci/run does)");
      }
    }
    // with both paths given Selenium Manager has nothing to look up, so it never runs
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    try {
      profile = Files.createTempDirectory("candlebus-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
            "--disable-default-apps", "--disable-extensions", "--mute-audio",
            // a loaded box must not make Chromium slow down the page's timers and sockets
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
            "--user-data-dir=" + profile, "--window-size=1440,900", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    viewport(1440, 900);
    driver.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
  }

  /** Sizes the window so that the page itself gets width x height (the window's frame comes on top). */
  public void viewport(int width, int height) {
    List<Number> frame = js("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]");
    driver.manage().window().setSize(new Dimension(width + frame.get(0).intValue(), height + frame.get(1).intValue()));
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public String currentUrl() {
    return driver.getCurrentUrl();
  }

  public WebElement byTestId(String id) {
    return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  /** Runs script in the page (arguments as {@code arguments[i]}) and returns its result. */
  @SuppressWarnings("unchecked")
  public <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Polls condition until it yields a non-null, non-false value, or fails after the deadline naming what it
   * waited for, the page's state (see {@link #describe(Supplier)}) and what the page logged.
   */
  public <T> T until(String what, Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
        .withMessage(() -> "waiting until " + what + "; the page: " + describer.get() + "; its console: "
            + console())
        .until(condition);
  }

  /** What a failed wait reports about the page (e.g. its window.candlebus state). */
  public void describe(Supplier<String> describer) {
    this.describer = describer;
  }

  /** The page's console messages since the last call (Chromium keeps warnings and errors). */
  public List<String> console() {
    try {
      return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
    } catch (RuntimeException e) {
      return List.of("(no console: " + e.getMessage() + ")");
    }
  }

  public <T> T until(String what, Function<WebDriver, T> condition) {
    return until(what, PATIENCE, condition);
  }

  /** Writes a PNG of the viewport to each of the paths. */
  public void screenshot(Path... paths) {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    try {
      for (Path p : paths) {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.copy(shot, p, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.deleteIfExists(shot);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.SEVERE);
    return logger;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary profile left behind is harmless
    }
  }
}
