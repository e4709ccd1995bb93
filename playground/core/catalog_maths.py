"""The catalog's records that carry maths: activations, losses and optimizers, simple to complex.

For each name: its label, its formulas in TeX (the backprop stepper shows them) and the plain-NumPy
code the standalone script is made of. The code does what nn_core computes, with the same operations
in the same order (the same float32 rounding; a Python float times a float32 array is float32), and
spells out nn_core's constants (``activations.LEAKY_SLOPE``, the optimizers' defaults):
``tests/playground/files/test_export.py`` runs generated scripts and compares their losses with the
app's, bit for bit. Import these through ``playground.core.catalog``.
"""

from playground.core.catalog_records import NO_EQUIVALENT, TF_ALWAYS, Activation, Loss, Optimizer, table

ACTIVATIONS = table(
    Activation(
        "linear",
        "linear",
        r"A = Z",
        r"g'(Z) = 1",
        '''def $role(Z):
    """$Role activation: linear, g(Z) = Z."""
    return Z.copy()
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1."""
    return dA.copy()
''',
        "activation=linear",
    ),
    Activation(
        "relu",
        "ReLU",
        r"A = \max(Z, 0)",
        r"g'(Z) = \begin{cases} 1 & Z > 0 \\ 0 & Z \le 0 \end{cases}",
        '''def $role(Z):
    """$Role activation: relu, g(Z) = max(Z, 0)."""
    return np.maximum(Z, 0)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1 where Z > 0, else 0."""
    return dA * (Z > 0)
''',
        "activation=relu",
    ),
    Activation(
        "leaky_relu",
        "leaky ReLU",
        r"A = \max(Z,\ 0.01\,Z)",
        r"g'(Z) = \begin{cases} 1 & Z > 0 \\ 0.01 & Z \le 0 \end{cases}",
        '''def $role(Z):
    """$Role activation: leaky_relu, g(Z) = Z where Z > 0, else 0.01 Z."""
    return np.maximum(Z, Z * 0.01)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1 where Z > 0, else 0.01."""
    return dA * ((Z > 0) * np.float32(0.99) + np.float32(0.01))
''',
        NO_EQUIVALENT,
    ),
    Activation(
        "tanh",
        "tanh",
        r"A = \tanh(Z)",
        r"g'(Z) = 1 - \tanh^2(Z) = 1 - A^2",
        '''def $role(Z):
    """$Role activation: tanh."""
    return np.tanh(Z)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: tanh'(Z) = 1 - A**2."""
    return dA * (1 - A * A)
''',
        "activation=tanh",
    ),
    Activation(
        "sigmoid",
        "sigmoid",
        r"A = \sigma(Z) = \frac{1}{1 + e^{-Z}}",
        r"g'(Z) = \sigma(Z)\,(1 - \sigma(Z)) = A\,(1 - A)",
        '''def $role(Z):
    """$Role activation: sigmoid, 1 / (1 + exp(-Z)) as 0.5 tanh(Z / 2) + 0.5 (no overflow)."""
    return np.tanh(Z * 0.5) * 0.5 + 0.5
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: sigmoid'(Z) = A (1 - A)."""
    return dA * ((1 - A) * A)
''',
        "activation=sigmoid",
    ),
    Activation(
        "elu",
        "ELU",
        r"A = \begin{cases} Z & Z > 0 \\ e^{Z} - 1 & Z \le 0 \end{cases}",
        r"g'(Z) = \begin{cases} 1 & Z > 0 \\ e^{Z} & Z \le 0 \end{cases}",
        '''def $role(Z):
    """$Role activation: elu, Z where Z > 0, else exp(Z) - 1 (exp of min(Z, 0): never overflows)."""
    return np.maximum(Z, 0) + np.expm1(np.minimum(Z, 0))
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: g'(Z) = 1 where Z > 0, else exp(Z)."""
    return dA * np.exp(np.minimum(Z, 0))
''',
        NO_EQUIVALENT,
    ),
    Activation(
        "softplus",
        "softplus",
        r"A = \log(1 + e^{Z})",
        r"g'(Z) = \sigma(Z) = \frac{1}{1 + e^{-Z}}",
        '''def $role(Z):
    """$Role activation: softplus, log(1 + exp(Z)) as max(Z, 0) + log1p(exp(-|Z|)) (no overflow)."""
    return np.maximum(Z, 0) + np.log1p(np.exp(-np.abs(Z)))
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: softplus'(Z) = sigmoid(Z), as 0.5 tanh(Z / 2) + 0.5."""
    return dA * (np.tanh(Z * 0.5) * 0.5 + 0.5)
''',
        NO_EQUIVALENT,
    ),
    Activation(
        "sine",
        "sine",
        r"A = \sin(Z)",
        r"g'(Z) = \cos(Z)",
        '''def $role(Z):
    """$Role activation: sine."""
    return np.sin(Z)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: sin'(Z) = cos(Z)."""
    return dA * np.cos(Z)
''',
        NO_EQUIVALENT,
    ),
    Activation(
        "swish",
        "swish (SiLU)",
        r"A = Z\,\sigma(Z) = \frac{Z}{1 + e^{-Z}}",
        r"g'(Z) = \sigma(Z) + Z\,\sigma(Z)\,(1 - \sigma(Z)) = \sigma(Z) + A\,(1 - \sigma(Z))",
        '''def $role(Z):
    """$Role activation: swish, Z sigmoid(Z) (sigmoid as 0.5 tanh(Z / 2) + 0.5)."""
    return Z * (np.tanh(Z * 0.5) * 0.5 + 0.5)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: swish'(Z) = s + A (1 - s), s = sigmoid(Z)."""
    s = np.tanh(Z * 0.5) * 0.5 + 0.5
    return dA * (s + A * (1 - s))
''',
        NO_EQUIVALENT,
    ),
    Activation(
        "gelu",
        "GELU (tanh approx.)",
        r"A = \tfrac{1}{2} Z\,(1 + \tanh u),\quad u = \sqrt{2/\pi}\,(Z + 0.044715\,Z^3)",
        r"g'(Z) = \tfrac{1}{2}(1 + \tanh u) + \tfrac{1}{2} Z\,(1 - \tanh^2 u)\,"
        r"\sqrt{2/\pi}\,(1 + 3 \cdot 0.044715\,Z^2)",
        '''def $role(Z):
    """$Role activation: gelu, the tanh approximation 0.5 Z (1 + tanh(u)),
    u = sqrt(2/pi) (Z + 0.044715 Z**3)."""
    t = np.tanh((Z + Z * Z * Z * 0.044715) * 0.7978845608028654)
    return Z * ((t + 1) * 0.5)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: 0.5 (1 + t) + 0.5 Z (1 - t**2) u', t = tanh(u) (see above),
    u' = sqrt(2/pi) (1 + 3 * 0.044715 Z**2)."""
    t = np.tanh((Z + Z * Z * Z * 0.044715) * 0.7978845608028654)
    inner = (Z * Z * (3 * 0.044715) + 1) * 0.7978845608028654
    return dA * (((1 - t * t) * inner * Z + (t + 1)) * 0.5)
''',
        NO_EQUIVALENT,
    ),
    Activation(
        "softmax",
        "softmax",
        r"A_{ij} = \frac{e^{Z_{ij}}}{\sum_k e^{Z_{ik}}}",
        r"\frac{\partial A_{ij}}{\partial Z_{ik}} = A_{ij}\,(\delta_{jk} - A_{ik})",
        '''def $role(Z):
    """$Role activation: softmax, exp(Z) / its row sum (the row maximum subtracted first)."""
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
''',
        '''def ${role}_backward(dA, Z, A):
    """dL/dZ from dL/dA: through the softmax Jacobian, row by row."""
    return (dA - (dA * A).sum(axis=1, keepdims=True)) * A
''',
        NO_EQUIVALENT,
    ),
)

_FUSED = '''

def loss_gradient(A, Z, Y):
    """dL/dZ of the output layer: (A - Y) / n (the output's derivative cancels the loss's)."""
    return (A - Y) * (1.0 / len(A))
'''
LOSSES = table(
    Loss(
        "mse",
        "mean squared error",
        r"L = \frac{1}{n k} \sum_{i,j} (A_{ij} - Y_{ij})^2",
        r"dZ^{[L]} = \frac{2}{n k} (A^{[L]} - Y) \odot g'(Z^{[L]})",
        '''def loss(A, Z, Y):
    """Mean squared error over all entries (the sum of squares as a BLAS dot product, as nn_core)."""
    diff = A - Y
    return float(np.vdot(diff, diff)) / diff.size


def loss_gradient(A, Z, Y):
    """dL/dZ of the output layer: dL/dA = 2 (A - Y) / (n k), back through the output activation."""
    return output_backward((A - Y) * (2.0 / A.size), Z, A)
''',
        TF_ALWAYS,  # TF's is half the squared error: tfplayground says so
    ),
    Loss(
        "bce",
        "binary cross-entropy",
        r"L = -\frac{1}{n} \sum_i \big[ Y_i \log A_i + (1 - Y_i) \log (1 - A_i) \big]",
        r"dZ^{[L]} = \frac{1}{n} (A^{[L]} - Y) \quad \text{(the sigmoid's derivative cancels)}",
        '''def loss(A, Z, Y):
    """Binary cross-entropy, mean over samples, from Z: log(1 + exp(Z)) - Y Z (never log(0))."""
    per_entry = np.log1p(np.exp(-np.abs(Z))) + np.maximum(Z, 0) - Y * Z
    return float(per_entry.sum()) / len(Z)
'''
        + _FUSED,
        NO_EQUIVALENT,
    ),
    Loss(
        "cross_entropy",
        "cross-entropy",
        r"L = -\frac{1}{n} \sum_i \sum_j Y_{ij} \log A_{ij}",
        r"dZ^{[L]} = \frac{1}{n} (A^{[L]} - Y) \quad \text{(the softmax's Jacobian cancels)}",
        '''def loss(A, Z, Y):
    """Softmax cross-entropy, mean over samples, from Z: log(sum(exp(Z))) - Z of the true class."""
    top = Z.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(Z - top).sum(axis=1)) + top[:, 0]
    return float((log_sum_exp - (Y * Z).sum(axis=1)).sum()) / len(Z)
'''
        + _FUSED,
        NO_EQUIVALENT,
    ),
)

OPTIMIZERS = table(
    Optimizer(
        "sgd",
        "SGD",
        (r"W \leftarrow W - \eta\, dW",),
        '''def optimizer_state(params):
    """Plain gradient descent remembers nothing."""
    return [None] * len(params)


def step(params, grads, state, t):
    """p <- p - lr g."""
    for p, g in zip(params, grads):
        p -= g * LEARNING_RATE
''',
        TF_ALWAYS,
    ),
    Optimizer(
        "momentum",
        "momentum",
        (r"v \leftarrow 0.9\, v + dW", r"W \leftarrow W - \eta\, v"),
        '''def optimizer_state(params):
    """Momentum's velocities, one per parameter array, starting at 0."""
    return [np.zeros_like(p) for p in params]


def step(params, grads, state, t):
    """Heavy-ball momentum, PyTorch's form (mu = 0.9): v <- mu v + g, p <- p - lr v."""
    for p, g, v in zip(params, grads, state):
        v *= 0.9
        v += g
        p -= v * LEARNING_RATE
''',
        NO_EQUIVALENT,
    ),
    Optimizer(
        "rmsprop",
        "RMSprop",
        (
            r"s \leftarrow 0.9\, s + 0.1\, dW^2",
            r"W \leftarrow W - \eta\, \frac{dW}{\sqrt{s} + 10^{-8}}",
        ),
        '''def optimizer_state(params):
    """RMSprop's running averages of g**2, one per parameter array, starting at 0."""
    return [np.zeros_like(p) for p in params]


def step(params, grads, state, t):
    """RMSprop (rho = 0.9, eps = 1e-8): s <- rho s + (1 - rho) g**2, p <- p - lr g / (sqrt(s) + eps)."""
    for p, g, s in zip(params, grads, state):
        s *= 0.9
        s += (g * g) * (1 - 0.9)
        p -= g / (np.sqrt(s) + 1e-08) * LEARNING_RATE
''',
        NO_EQUIVALENT,
    ),
    Optimizer(
        "adam",
        "Adam",
        (
            r"m \leftarrow 0.9\, m + 0.1\, dW \qquad v \leftarrow 0.999\, v + 0.001\, dW^2",
            r"W \leftarrow W - \eta\, \frac{m / (1 - 0.9^t)}{\sqrt{v / (1 - 0.999^t)} + 10^{-8}}",
        ),
        '''def optimizer_state(params):
    """Adam's moments (m, v), one pair per parameter array, starting at 0."""
    return [(np.zeros_like(p), np.zeros_like(p)) for p in params]


def step(params, grads, state, t):
    """Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8), t counting steps from 1:
    m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g**2,
    p <- p - lr m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - b1**t), v_hat = v / (1 - b2**t)."""
    c1, c2 = 1 - 0.9**t, 1 - 0.999**t
    for p, g, (m, v) in zip(params, grads, state):
        m *= 0.9
        m += g * (1 - 0.9)
        v *= 0.999
        v += (g * g) * (1 - 0.999)
        p -= m / (np.sqrt(v) * c2**-0.5 + 1e-08) * (LEARNING_RATE / c1)
''',
        NO_EQUIVALENT,
    ),
)
