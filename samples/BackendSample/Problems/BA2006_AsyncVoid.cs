// BA2006 - async void method.
// ScheduleReminder below is async void: the caller cannot await it, cannot know when it finished, and cannot catch
// what it throws. An exception after the first await (a cancelled delay, a failing log sink) is raised on the thread
// pool and terminates the whole process. The fix is to return Task and let the caller await it (or hand the work to
// a hosted service).
namespace BackendSample.Problems;

public sealed class ReminderScheduler(ILogger<ReminderScheduler> logger, TimeProvider clock)
{
    private static readonly TimeSpan Lead = TimeSpan.FromHours(24);

    /// <summary>Waits until a day before the appointment, then logs that its reminder is due.</summary>
    public async void ScheduleReminder(int appointmentId, DateTime startsAtUtc, CancellationToken cancellationToken)
    {
        // BA2006: nobody can await this method or observe its exceptions.
        var delay = startsAtUtc - Lead - clock.GetUtcNow().UtcDateTime;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, clock, cancellationToken);
        }

        logger.LogInformation("Reminder due for appointment {AppointmentId}", appointmentId);
    }
}
