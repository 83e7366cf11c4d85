namespace GenRM.Experiments;

/// <summary>
/// The run's log: every line goes to <c>run.log</c> (appended, so a resumed run keeps the earlier
/// lines) and to the console when given. Methods running side by side write to it at once, so a
/// line is written whole.
/// </summary>
internal sealed class RunLog(string path, TextWriter? console) : TextWriter
{
    readonly StreamWriter file = new(path, append: true) { AutoFlush = true };

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        string line = $"{DateTimeOffset.UtcNow:HH:mm:ss} {value}";
        lock (file)
        {
            file.WriteLine(line);
            console?.WriteLine(value);
        }
    }

    public override void Write(char value)
    {
        lock (file) file.Write(value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) file.Dispose();
        base.Dispose(disposing);
    }
}
