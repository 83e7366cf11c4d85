namespace GenRM.Text.Jinja;

internal enum JinjaTokenKind
{
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>One lexed token: its kind, text (the decoded value for strings) and where it starts.</summary>
internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Value, int Line, int Column)
{
    public bool Is(JinjaTokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsName(string name) => Is(JinjaTokenKind.Name, name);

    public bool IsOperator(string op) => Is(JinjaTokenKind.Operator, op);

    public override string ToString() => Kind switch
    {
        JinjaTokenKind.End => "end of template",
        JinjaTokenKind.Text => "template text",
        JinjaTokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };
}
