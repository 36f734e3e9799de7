using System;
using System.Collections.Generic;

namespace BackendAnalyzers.Infrastructure
{
    /// <summary>
    /// Reads identifiers as words (<c>ClientSecret</c> is "client secret", <c>API_KEY</c> is "api key") and tells
    /// which ones name a secret. The secret word must be the head of the name, its last word: <c>ApiKey</c> and
    /// <c>AdminPassword</c> are secrets, <c>ApiKeyHeaderName</c>, <c>PasswordMinLength</c> and <c>TokenEndpoint</c> are not.
    /// </summary>
    internal static class SensitiveNames
    {
        /// <summary>Words that name a credential on their own.</summary>
        private static readonly HashSet<string> SecretWords = new HashSet<string>(StringComparer.Ordinal)
        {
            "secret", "password", "passwd", "pwd", "passphrase", "token", "apikey", "clientsecret", "privatekey",
        };

        /// <summary>"key" is a secret after one of these: ApiKey, SigningKey, PrivateKey, SecretKey, JwtKey.</summary>
        private static readonly HashSet<string> KeyQualifiers = new HashSet<string>(StringComparer.Ordinal)
        {
            "api", "secret", "private", "signing", "encryption", "jwt", "hmac", "master", "access", "subscription", "client", "token",
        };

        /// <summary>"token" names no secret after these: CancellationToken, StoppingToken, a continuation or paging token.</summary>
        private static readonly HashSet<string> HarmlessTokenQualifiers = new HashSet<string>(StringComparer.Ordinal)
        {
            "cancellation", "stopping", "continuation", "page", "paging", "next", "change", "sync", "ct",
        };

        /// <summary>Trailing words that describe the secret's value rather than something about it: PasswordBytes, PlainPassword, TokenValue.</summary>
        private static readonly HashSet<string> ValueSuffixes = new HashSet<string>(StringComparer.Ordinal)
        {
            "bytes", "text", "value", "string", "str", "chars", "buffer", "data", "plain", "plaintext", "raw", "input", "utf8",
        };

        /// <summary>The index of the head word: the last one that is not a description of the value (Bytes, Text) or a number.</summary>
        private static int HeadIndex(List<string> words)
        {
            var last = words.Count - 1;
            while (last > 0 && (ValueSuffixes.Contains(words[last]) || char.IsDigit(words[last][0])))
            {
                last--;
            }

            return last;
        }

        /// <summary>Splits an identifier or a key into lower-case words at case changes, digits, '_', '-', ':', '.', and spaces.</summary>
        public static List<string> SplitWords(string name)
        {
            var words = new List<string>();
            var current = new System.Text.StringBuilder();
            for (var i = 0; i < name.Length; i++)
            {
                var c = name[i];
                if (!char.IsLetterOrDigit(c))
                {
                    Flush();
                    continue;
                }

                if (current.Length > 0)
                {
                    var previous = name[i - 1];
                    var boundary =
                        char.IsUpper(c) && char.IsLower(previous) ||
                        char.IsUpper(c) && char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]) ||
                        char.IsDigit(c) != char.IsDigit(previous);
                    if (boundary)
                    {
                        Flush();
                    }
                }

                current.Append(char.ToLowerInvariant(c));
            }

            Flush();
            return words;

            void Flush()
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
        }

        /// <summary>Does the name (a variable, parameter, field, property or argument name) name a credential?</summary>
        public static bool IsSecretName(string name)
        {
            var words = SplitWords(name);
            if (words.Count == 0)
            {
                return false;
            }

            // PasswordBytes, TokenValue: look at the word before the description of the value.
            var last = HeadIndex(words);

            var head = words[last];
            var qualifier = last > 0 ? words[last - 1] : null;
            if (head == "key")
            {
                return qualifier is not null && KeyQualifiers.Contains(qualifier);
            }

            if (head == "token")
            {
                return qualifier is null || !HarmlessTokenQualifiers.Contains(qualifier);
            }

            if (head == "secret" && qualifier == "client" || head == "phrase" && qualifier == "pass")
            {
                return true;
            }

            return SecretWords.Contains(head);
        }

        /// <summary>Does the name name a password (password, passwd, pwd, passphrase as the head word)?</summary>
        public static bool IsPasswordName(string name)
        {
            var words = SplitWords(name);
            var last = HeadIndex(words);
            if (last < 0)
            {
                return false;
            }

            var head = words[last];
            return head is "password" or "passwd" or "pwd" or "passphrase" || head == "phrase" && last > 0 && words[last - 1] == "pass";
        }

        /// <summary>
        /// Does the name name a value that must stay out of logs: a credential (see <see cref="IsSecretName"/>) or
        /// payment and identity data (card number, credit card, CVV/CVC, SSN, social security number)?
        /// </summary>
        public static bool IsSensitiveName(string name)
        {
            if (IsSecretName(name))
            {
                return true;
            }

            var words = SplitWords(name);
            var last = HeadIndex(words);
            if (last < 0)
            {
                return false;
            }

            var head = words[last];
            var qualifier = last > 0 ? words[last - 1] : null;
            switch (head)
            {
                case "cvv":
                case "cvc":
                case "ssn":
                    return true;
                case "number":
                    return qualifier is "card" or "security" or "ssn" || qualifier == "account" && last > 1 && words[last - 2] == "bank";
                case "card":
                    return qualifier is "credit" or "debit";
                default:
                    return false;
            }
        }
    }
}
