namespace GenRM.Tests.Fuzzing;

/// <summary>
/// One reader under fuzzing: the file name it is given, valid files to mutate, and the call that
/// reads a file the way the tool does. The only failure it may report is a <see cref="BadInputException"/>.
/// </summary>
internal sealed record FuzzTarget(string Name, string FileName, IReadOnlyList<byte[]> Seeds, Action<string> Read);
