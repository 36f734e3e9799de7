// BA5007 - Sensitive value written to a log.
// The card payment below logs the whole request to help support staff, and the request carries the card number and
// its security code. Logs are shipped to files and log services, kept for months and read by many people: card
// data there is a PCI DSS breach. Better: log what support needs (the amount, the last four digits).
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace BackendSample.Problems;

[ApiController]
[Route("problems/ba5007")]
public sealed class CardPaymentController(ILogger<CardPaymentController> logger) : ControllerBase
{
    public sealed record CardPayment(
        [property: Range(0.01, 10_000)] decimal Amount,
        [property: Required, CreditCard] string CardNumber,
        [property: Required, StringLength(4, MinimumLength = 3)] string Cvv);

    [HttpPost("payments")]
    [Authorize]
    public IActionResult Pay(CardPayment payment)
    {
        // BA5007: a record prints all of its properties, CardNumber and Cvv included.
        logger.LogInformation("Card payment received: {Payment}", payment);

        // BA5007: the card number itself.
        logger.LogDebug("Authorizing card {CardNumber}", payment.CardNumber);

        return Accepted();
    }
}
