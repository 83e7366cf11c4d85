namespace GenRM.Evaluation;

/// <summary>A two-sided interval, [Low, High].</summary>
public readonly record struct ConfidenceInterval(double Low, double High)
{
    public bool Contains(double value) => value >= Low && value <= High;
}
