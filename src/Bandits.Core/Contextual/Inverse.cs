namespace Bandits.Core.Contextual;

/// <summary>The inverse of a symmetric positive definite matrix, in place and allocation-free.</summary>
internal static class Inverse
{
    /// <summary>
    /// Replaces the D×D row-major <paramref name="matrix"/> by its inverse, through its Cholesky
    /// factor A = LLᵀ: L, then W = L⁻¹, then A⁻¹ = WᵀW, each in place (the steps of LAPACK's
    /// dpotrf, dtrtri and dlauum). False, and the matrix spoilt, if it is not positive definite.
    /// </summary>
    public static bool OfPositiveDefinite(Span<double> matrix, int d)
    {
        // L in the lower triangle.
        for (int j = 0; j < d; j++)
        {
            double diagonal = matrix[j * d + j];
            for (int k = 0; k < j; k++) diagonal -= matrix[j * d + k] * matrix[j * d + k];
            if (!(diagonal > 0)) return false;
            double pivot = Math.Sqrt(diagonal);
            matrix[j * d + j] = pivot;
            for (int i = j + 1; i < d; i++)
            {
                double sum = matrix[i * d + j];
                for (int k = 0; k < j; k++) sum -= matrix[i * d + k] * matrix[j * d + k];
                matrix[i * d + j] = sum / pivot;
            }
        }
        // W = L⁻¹, lower triangular. From WL = I, below the diagonal W[i][j] = −W[j][j]·Σ_{j<k≤i} W[i][k]·L[k][j]:
        // columns from the right (each W[i][k], k > j, is done) and each column from the bottom up
        // (each L[k][j], k ≤ i, is not yet overwritten).
        for (int j = 0; j < d; j++) matrix[j * d + j] = 1 / matrix[j * d + j];
        for (int j = d - 1; j >= 0; j--)
        {
            for (int i = d - 1; i > j; i--)
            {
                double sum = 0;
                for (int k = j + 1; k <= i; k++) sum += matrix[i * d + k] * matrix[k * d + j];
                matrix[i * d + j] = -matrix[j * d + j] * sum;
            }
        }
        // A⁻¹ = WᵀW: (WᵀW)[i][j] = Σ_{k≥i} W[k][i]·W[k][j] for j ≤ i, row by row from the top, the
        // diagonal last: each entry needs only rows k ≥ i and its own row's diagonal, still W.
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = i; k < d; k++) sum += matrix[k * d + i] * matrix[k * d + j];
                matrix[i * d + j] = sum;
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++) matrix[i * d + j] = matrix[j * d + i];
        return true;
    }
}
