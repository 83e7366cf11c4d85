namespace GenRM.MiniWorld;

/// <summary>A column calculation written out, right or wrong: what <see cref="ResponseStyle.Render"/> dresses as an answer.</summary>
public interface IWorkedArithmetic
{
    /// <summary>"347+285" or "632-285".</summary>
    string Expression { get; }

    /// <summary>The result the working arrives at.</summary>
    int Result { get; }

    /// <summary>The column steps, ones first, joined by <paramref name="separator"/>.</summary>
    string StepsText(string separator);
}
