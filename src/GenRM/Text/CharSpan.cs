namespace GenRM.Text;

/// <summary>
/// A stretch of a string, in UTF-16 positions: from <see cref="Start"/> up to, not including,
/// <see cref="End"/>. A token's offsets and the text a chat template's <c>{% generation %}</c>
/// block wrote are both given this way.
/// </summary>
public readonly record struct CharSpan(int Start, int End)
{
    /// <summary>Whether the character at <paramref name="index"/> lies inside (an empty span holds none).</summary>
    public bool Contains(int index) => index >= Start && index < End;
}
