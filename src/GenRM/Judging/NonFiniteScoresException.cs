namespace GenRM.Judging;

/// <summary>A judge produced a NaN score; no accuracy computed from it is reported. The command line prints the message and exits with code 1.</summary>
public sealed class NonFiniteScoresException(string message) : Exception(message);
