package dev.longdpo.config;

/** A configuration value that is missing or invalid; the message names key, value and origin. */
public final class SettingsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  /** A problem with one key. */
  public SettingsException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** A problem with one key, caused by a lower-level failure. */
  public SettingsException(String key, String message, Throwable cause) {
    super(message, cause);
    this.key = key;
  }

  /** The offending key (empty for a whole file). */
  public String key() {
    return key;
  }
}
