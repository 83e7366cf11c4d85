namespace GenRM.Generation;

/// <summary>
/// A prompt plus its new-token budget would run past the model's positions. Evaluation leaves such
/// items out before generating (<see cref="Judging.JudgeInputScreen"/>); this is the generator's own
/// guard behind that, which the command line prints as one line with exit code 1.
/// </summary>
public sealed class ContextLengthExceededException(string message) : Exception(message);
