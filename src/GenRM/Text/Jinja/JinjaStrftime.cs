using System.Globalization;
using System.Text;

namespace GenRM.Text.Jinja;

/// <summary>Python's <c>datetime.strftime</c> in the C locale, for <c>strftime_now(format)</c>.</summary>
internal static class JinjaStrftime
{
    public static string Format(DateTime time, string format)
    {
        var text = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }
            char code = format[++i];
            text.Append(code switch
            {
                'd' => time.Day.ToString("00", CultureInfo.InvariantCulture),
                'm' => time.Month.ToString("00", CultureInfo.InvariantCulture),
                'Y' => time.Year.ToString("0000", CultureInfo.InvariantCulture),
                'y' => (time.Year % 100).ToString("00", CultureInfo.InvariantCulture),
                'H' => time.Hour.ToString("00", CultureInfo.InvariantCulture),
                'I' => (time.Hour % 12 == 0 ? 12 : time.Hour % 12).ToString("00", CultureInfo.InvariantCulture),
                'M' => time.Minute.ToString("00", CultureInfo.InvariantCulture),
                'S' => time.Second.ToString("00", CultureInfo.InvariantCulture),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'b' => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(time.Month),
                'B' => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(time.Month),
                'a' => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(time.DayOfWeek),
                'A' => CultureInfo.InvariantCulture.DateTimeFormat.GetDayName(time.DayOfWeek),
                'j' => time.DayOfYear.ToString("000", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => throw new JinjaException($"strftime_now: unsupported format code '%{code}'"),
            });
        }
        return text.ToString();
    }
}
