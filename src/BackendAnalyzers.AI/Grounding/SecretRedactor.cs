using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace BackendAnalyzers.AI.Grounding
{
    /// <summary>
    /// Keeps secrets out of prompts. Applied to every section before it is sent: connection-string passwords and
    /// account keys, string literals assigned to members named like secrets, long key-like literals, well-known key
    /// shapes (sk-..., AKIA..., ghp_..., JWTs, PEM private keys) and the configured API key itself.
    /// </summary>
    internal sealed class SecretRedactor
    {
        /// <summary>What a redacted value becomes. An answer that still contains it is rejected by the verification.</summary>
        public const string Marker = "<redacted>";

        private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

        // Password=...; Pwd=...; AccountKey=...; SharedAccessKey=...; inside connection strings.
        private static readonly Regex ConnectionStringSecret = new Regex(
            @"(?<=[""';][ \t]*)(?<name>\b(?:password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|client[_ ]?secret|access[_ ]?key)\s*=\s*)(?<value>'[^']*'|[^;""'\r\n]+)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);

        // A literal assigned, initialized, passed by name or returned for a member named like a secret:
        //   ApiKey = "...", private const string ClientSecret = "...", password: "...", ["Jwt:Key"] = "...", Token => "..."
        private static readonly Regex NamedSecretLiteral = new Regex(
            @"(?<name>[""\[]?\b[\w:.-]*(?:secret|password|passwd|pwd|api_?key|apikey|token|access_?key|private_?key|signing_?key|credential|connectionstring|conn_?str)[\w:.-]*""?\]?\s*(?:=>|=|:)\s*)(?<prefix>\$?@?\$?)""(?<value>(?:[^""\\\r\n]|\\.)*)""",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);

        // Encoding.UTF8.GetBytes("...") as used for signing keys.
        private static readonly Regex KeyBytes = new Regex(
            @"(?<name>GetBytes\s*\(\s*)(?<prefix>@?)""(?<value>(?:[^""\\\r\n]|\\.)*)""",
            RegexOptions.CultureInvariant, MatchTimeout);

        // Well-known key shapes anywhere in the text.
        private static readonly Regex KnownKeyShapes = new Regex(
            @"sk-[A-Za-z0-9_\-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abpr]-[A-Za-z0-9\-]{10,}|eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
            RegexOptions.CultureInvariant, MatchTimeout);

        // Any string literal; its content is redacted when it looks like a key (long, no spaces, letters and digits mixed).
        private static readonly Regex StringLiteral = new Regex(
            @"""(?<value>[A-Za-z0-9+/=_\-]{24,})""",
            RegexOptions.CultureInvariant, MatchTimeout);

        private readonly List<string> _exactSecrets = new List<string>();

        /// <param name="exactSecrets">Values that must never appear, whatever their shape (the API key in use).</param>
        public SecretRedactor(IEnumerable<string>? exactSecrets = null)
        {
            if (exactSecrets is not null)
            {
                foreach (var secret in exactSecrets)
                {
                    if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
                    {
                        _exactSecrets.Add(secret);
                    }
                }
            }
        }

        public string Redact(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            try
            {
                foreach (var secret in _exactSecrets)
                {
                    text = text.Replace(secret, Marker);
                }

                text = KnownKeyShapes.Replace(text, Marker);
                text = ConnectionStringSecret.Replace(text, m => IsPlaceholder(m.Groups["value"].Value) ? m.Value : m.Groups["name"].Value + Marker);
                text = NamedSecretLiteral.Replace(text, m => IsPlaceholder(m.Groups["value"].Value) || NamesSomethingElse(m.Groups["name"].Value)
                    ? m.Value
                    : m.Groups["name"].Value + m.Groups["prefix"].Value + "\"" + Marker + "\"");
                text = KeyBytes.Replace(text, m => IsPlaceholder(m.Groups["value"].Value)
                    ? m.Value
                    : m.Groups["name"].Value + m.Groups["prefix"].Value + "\"" + Marker + "\"");
                text = StringLiteral.Replace(text, m => LooksLikeKey(m.Groups["value"].Value) ? "\"" + Marker + "\"" : m.Value);
                return text;
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological input: send nothing of it rather than something unredacted.
                return "// (" + text.Length + " characters left out: they could not be checked for secrets in time)";
            }
        }

        // ApiKeyHeaderName, TokenEndpoint, PasswordPolicy, JwtKeySection: named after a secret, holding something else.
        private static readonly Regex NotASecretName = new Regex(
            @"(?:header|headername|name|path|section|prefix|suffix|endpoint|url|uri|scheme|claim|claimtype|policy|type|length|format|pattern|route|field|key(?:name|path))[""\]]?\s*(?:=>|=|:)\s*$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchTimeout);

        private static bool NamesSomethingElse(string nameAndOperator) => NotASecretName.IsMatch(nameAndOperator);

        /// <summary>Empty values, configuration placeholders and our own marker stay as they are.</summary>
        private static bool IsPlaceholder(string value)
        {
            var trimmed = value.Trim().Trim('\'');
            return trimmed.Length == 0
                || trimmed == Marker
                || trimmed.StartsWith("{", StringComparison.Ordinal)
                || trimmed.StartsWith("$(", StringComparison.Ordinal)
                || trimmed.StartsWith("%", StringComparison.Ordinal)
                || trimmed.StartsWith("<", StringComparison.Ordinal)
                || trimmed.IndexOf("...", StringComparison.Ordinal) >= 0
                || trimmed.Equals("changeme", StringComparison.OrdinalIgnoreCase)
                || trimmed.Equals("change-me", StringComparison.OrdinalIgnoreCase)
                || trimmed.Equals("secret", StringComparison.OrdinalIgnoreCase)
                || trimmed.Equals("password", StringComparison.OrdinalIgnoreCase);
        }

        private static bool LooksLikeKey(string value)
        {
            var letters = 0;
            var digits = 0;
            var upper = 0;
            var lower = 0;
            foreach (var c in value)
            {
                if (char.IsDigit(c))
                {
                    digits++;
                }
                else if (char.IsLetter(c))
                {
                    letters++;
                    if (char.IsUpper(c))
                    {
                        upper++;
                    }
                    else
                    {
                        lower++;
                    }
                }
            }

            // Identifiers and words ("ThisIsAVeryLongMethodNameIndeed") have no digits; keys have both cases or digits.
            return digits >= 2 && letters >= 4 && (upper > 0 || digits >= 8);
        }
    }
}
