namespace GenRM.Text;

/// <summary>A pairwise judge's verdict: which of two answers, labelled A and B, is better; None when none could be read.</summary>
public enum Verdict
{
    None = 0,
    A,
    B,
}
