package io.infracast.api.platform.security;

import java.util.regex.Pattern;

/** What an email and a password must look like, wherever they come from (the API or the bootstrap settings). */
public final class CredentialRules {
  public static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,189}");
  public static final int MIN_PASSWORD_CHARS = 12;
  public static final int MAX_PASSWORD_CHARS = 1024;

  private CredentialRules() {}

  public static boolean validPassword(String password) {
    return password.length() >= MIN_PASSWORD_CHARS && password.length() <= MAX_PASSWORD_CHARS;
  }
}
