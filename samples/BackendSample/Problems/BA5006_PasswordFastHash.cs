// BA5006 - Password hashed with a fast hash.
// Patient portal accounts below store SHA-256(salt + password). SHA-256 is built to be fast: a graphics card tries
// billions of candidate passwords per second against a leaked table, so most of these hashes fall within hours.
// Better: ASP.NET Core Identity's PasswordHasher<T> (PBKDF2 with a random salt and a high iteration count), or
// Rfc2898DeriveBytes.Pbkdf2 with at least 600,000 iterations of SHA-256.
using System.Security.Cryptography;
using System.Text;

namespace BackendSample.Problems;

public sealed class PortalAccountHasher
{
    public (string Salt, string Hash) HashPassword(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);

        // BA5006: one round of SHA-256 over the password.
        var hash = SHA256.HashData(salt.Concat(Encoding.UTF8.GetBytes(password)).ToArray());
        return (Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }
}
