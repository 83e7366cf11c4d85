using System.Globalization;
using System.Text.Json;

namespace GenRM.Tests.Text;

/// <summary>strftime_now's clock in the chat-template fixtures (the reference fixes it so dated templates reproduce on any day).</summary>
internal sealed class FixedClock(DateTime now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(now, DateTimeKind.Utc));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>The clock a fixture names in its <c>strftime_now</c> field (ISO 8601).</summary>
    public static FixedClock Of(JsonElement fixture) => new(DateTime.Parse(fixture.GetProperty("strftime_now").GetString()!, CultureInfo.InvariantCulture));
}
