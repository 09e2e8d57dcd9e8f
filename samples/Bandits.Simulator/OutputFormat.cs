namespace Bandits.Simulator;

/// <summary>How results are printed.</summary>
internal enum OutputFormat
{
    Table,
    Json,
}
