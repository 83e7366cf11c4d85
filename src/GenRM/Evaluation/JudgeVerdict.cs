namespace GenRM.Evaluation;

/// <summary>A judge's parsed verdict: response A better, B better, or no verdict could be parsed.</summary>
public enum JudgeVerdict
{
    None,
    A,
    B,
}
