using BackendAnalyzers.Infrastructure;
using Xunit;

namespace BackendAnalyzers.Tests.Infrastructure;

public class SensitiveNamesTests
{
    [Theory]
    [InlineData("ClientSecret", "client secret")]
    [InlineData("APIKey", "api key")]
    [InlineData("api_key", "api key")]
    [InlineData("Jwt:SigningKey", "jwt signing key")]
    [InlineData("X-Api-Key", "x api key")]
    [InlineData("cvv2", "cvv 2")]
    [InlineData("", "")]
    public void Splits_identifiers_into_words(string name, string words) =>
        Assert.Equal(words, string.Join(" ", SensitiveNames.SplitWords(name)));

    [Theory]
    [InlineData("password", true)]
    [InlineData("AdminPassword", true)]
    [InlineData("passwordBytes", true)]
    [InlineData("Pwd", true)]
    [InlineData("ClientSecret", true)]
    [InlineData("clientsecret", true)]
    [InlineData("ApiKey", true)]
    [InlineData("API_KEY", true)]
    [InlineData("SigningKey", true)]
    [InlineData("accessToken", true)]
    [InlineData("Token", true)]
    [InlineData("PassPhrase", true)]
    [InlineData("TokenEndpoint", false)]
    [InlineData("PasswordMinLength", false)]
    [InlineData("passwordField", false)]
    [InlineData("PasswordHash", false)]
    [InlineData("ApiKeyHeaderName", false)]
    [InlineData("Key", false)]
    [InlineData("PrimaryKey", false)]
    [InlineData("cancellationToken", false)]
    [InlineData("stoppingToken", false)]
    [InlineData("continuationToken", false)]
    [InlineData("Keyboard", false)]
    [InlineData("Monkey", false)]
    public void Tells_secret_names(string name, bool expected) => Assert.Equal(expected, SensitiveNames.IsSecretName(name));

    [Theory]
    [InlineData("password", true)]
    [InlineData("request.Password", true)]
    [InlineData("newPassword", true)]
    [InlineData("pwd", true)]
    [InlineData("passwordResetToken", false)]
    [InlineData("PasswordHash", false)]
    [InlineData("passenger", false)]
    public void Tells_password_names(string name, bool expected) => Assert.Equal(expected, SensitiveNames.IsPasswordName(name));

    [Theory]
    [InlineData("CardNumber", true)]
    [InlineData("creditCard", true)]
    [InlineData("CreditCardNumber", true)]
    [InlineData("Cvv", true)]
    [InlineData("Ssn", true)]
    [InlineData("SocialSecurityNumber", true)]
    [InlineData("apiKey", true)]
    [InlineData("PhoneNumber", false)]
    [InlineData("CardHolder", false)]
    [InlineData("OrderNumber", false)]
    public void Tells_sensitive_names(string name, bool expected) => Assert.Equal(expected, SensitiveNames.IsSensitiveName(name));
}
