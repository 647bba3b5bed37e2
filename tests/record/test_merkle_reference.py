"""The oracle for the merkle tests: RFC 6962 §2.1 MTH/PATH/PROOF written as the RFC writes them, and the
RFC 9162 §2.1.3.2/§2.1.4.2 verification loops (record.md §1.4/§1.5), generic over the hash functions.

With SHA-256 they give the bytes the module must produce. With *symbols* (a node is the tuple of its
children) two values are equal only if they are the same expression, so the symbolic verifiers tell
exactly which mutated queries a correct verifier accepts without a hash collision (the binding cases
of record.md's pitfalls). The tests at the bottom check the oracle itself against the published
vectors and the RFC 9162 §2.1.5 example, so the oracle is not trusted on faith.

D = leaves[lo:hi] is written as the pair (lo, hi), so that MTH can be cached per (lo, hi).
"""

import hashlib

# transparency-dev/merkle testonly/constants.go: the RFC 6962 test inputs and the hashes they give.
LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]
LEAF_HASHES = [
    bytes.fromhex(h)
    for h in [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ]
]
ROOTS = [
    bytes.fromhex(h)
    for h in [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
]
# Interior nodes of the 8-leaf tree (constants.go NodeHashes, levels 1 and 2).
NODE_01, NODE_23, NODE_45, NODE_67 = (
    bytes.fromhex(h)
    for h in [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ]
)
NODE_0123, NODE_4567 = ROOTS[4], bytes.fromhex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")

# Distinct small leaves for the exhaustive sweeps (distinct, so that no two subtrees collide).
SWEEP_LEAVES = [b"%d" % i for i in range(1 << 13)]


def sha_leaf(data):
    return hashlib.sha256(b"\x00" + data).digest()


def sha_node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def sym_leaf(data):
    return ("leaf", data)


def sym_node(left, right):
    return ("node", left, right)


def largest_power_of_two_below(n):
    """k such that k < n <= 2k (n > 1), found the slow and obvious way."""
    k = 1
    while 2 * k < n:
        k *= 2
    return k


class Reference:
    def __init__(self, leaves, hleaf=sha_leaf, hnode=sha_node, empty=hashlib.sha256(b"").digest()):
        self.leaves, self.hleaf, self.hnode, self.empty = leaves, hleaf, hnode, empty
        self.cache, self.paths, self.proofs = {}, {}, {}

    def MTH(self, lo, hi):
        if (lo, hi) not in self.cache:
            n = hi - lo
            if n == 0:
                value = self.empty  # MTH({}) = SHA-256()
            elif n == 1:
                value = self.hleaf(self.leaves[lo])  # MTH({d0}) = SHA-256(0x00 || d0)
            else:
                k = largest_power_of_two_below(n)  # MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))
                value = self.hnode(self.MTH(lo, lo + k), self.MTH(lo + k, hi))
            self.cache[lo, hi] = value
        return self.cache[lo, hi]

    def PATH(self, m, lo, hi):
        n = hi - lo
        if n == 1:
            return []  # PATH(0, {d0}) = {}
        k = largest_power_of_two_below(n)
        if m < k:  # PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])
            return self.PATH(m, lo, lo + k) + [self.MTH(lo + k, hi)]
        return self.PATH(m - k, lo + k, hi) + [self.MTH(lo, lo + k)]  # PATH(m - k, D[k:n]) : MTH(D[0:k])

    def PROOF(self, m, n):
        return self.SUBPROOF(m, 0, n, True)  # PROOF(m, D[n]) = SUBPROOF(m, D[n], true)

    def SUBPROOF(self, m, lo, hi, b):
        n = hi - lo
        if m == n:
            return [] if b else [self.MTH(lo, hi)]  # SUBPROOF(m, D[m], true) = {}; false: {MTH(D[m])}
        k = largest_power_of_two_below(n)
        if m <= k:  # SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            return self.SUBPROOF(m, lo, lo + k, b) + [self.MTH(lo + k, hi)]
        return self.SUBPROOF(m - k, lo + k, hi, False) + [self.MTH(lo, lo + k)]  # ...: MTH(D[0:k])

    # Shortcuts for the whole tree D[0:n].
    def root(self, n):
        return self.MTH(0, n)

    def leaf(self, i):
        return self.MTH(i, i + 1)

    def path(self, index, n):
        if (index, n) not in self.paths:  # memoised: the sweeps ask for the same 45,150 paths often
            self.paths[index, n] = self.PATH(index, 0, n)
        return self.paths[index, n]

    def proof(self, m, n):
        if (m, n) not in self.proofs:
            self.proofs[m, n] = self.PROOF(m, n)
        return self.proofs[m, n]


def rfc_verify_inclusion(hnode, index, size, leaf_hash, path, root):
    """RFC 9162 §2.1.3.2, step by step (record.md §1.4 without the byte-length checks)."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hnode(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hnode(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def rfc_verify_consistency(hnode, first, second, first_hash, second_hash, path):
    """RFC 9162 §2.1.4.2, step by step (record.md §1.5 without the byte-length checks)."""
    if first == 0 or first > second:
        return False
    if first == second:
        return path == [] and first_hash == second_hash
    if not path:
        return False
    if first & (first - 1) == 0:
        path = [first_hash] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = hnode(c, fr)
            sr = hnode(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = hnode(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


SHA = Reference(SWEEP_LEAVES)
SYM = Reference(range(len(SWEEP_LEAVES)), sym_leaf, sym_node, ("empty",))
VECTORS = Reference(LEAVES)


# The oracle against the published vectors: if these fail, no other merkle test means anything.


def test_reference_reproduces_the_published_roots_and_leaf_hashes():
    assert [VECTORS.root(n) for n in range(9)] == ROOTS
    assert [VECTORS.leaf(i) for i in range(8)] == LEAF_HASHES
    assert [VECTORS.MTH(i, i + 2) for i in range(0, 8, 2)] == [NODE_01, NODE_23, NODE_45, NODE_67]
    assert [VECTORS.MTH(0, 4), VECTORS.MTH(4, 8)] == [NODE_0123, NODE_4567]


def test_reference_reproduces_transparency_devs_reference_proofs():
    h = LEAF_HASHES
    assert VECTORS.path(0, 1) == []
    assert VECTORS.path(0, 2) == [h[1]]
    assert VECTORS.path(1, 2) == [h[0]]
    assert VECTORS.path(2, 3) == [NODE_01]
    assert VECTORS.path(1, 5) == [h[0], NODE_23, h[4]]
    assert VECTORS.path(0, 8) == [h[1], NODE_23, NODE_4567]
    assert VECTORS.path(5, 8) == [h[4], NODE_67, NODE_0123]
    assert VECTORS.PROOF(1, 1) == []
    assert VECTORS.PROOF(1, 8) == [h[1], NODE_23, NODE_4567]
    assert VECTORS.PROOF(2, 5) == [NODE_23, h[4]]
    assert VECTORS.PROOF(6, 8) == [NODE_45, NODE_67, NODE_0123]


def test_reference_reproduces_the_rfc_9162_seven_leaf_example_symbolically():
    t = Reference(range(7), sym_leaf, sym_node, ("empty",))
    a, b, c, d, e, f, j = (t.leaf(i) for i in range(7))  # j = d6: a lone leaf is its own node
    g, h, i = sym_node(a, b), sym_node(c, d), sym_node(e, f)
    k, l = sym_node(g, h), sym_node(i, j)
    assert t.root(7) == sym_node(k, l)
    assert (t.path(0, 7), t.path(3, 7), t.path(4, 7), t.path(6, 7)) == ([b, h, l], [c, g, l], [f, j, k], [i, k])
    assert (t.PROOF(3, 7), t.PROOF(4, 7), t.PROOF(6, 7)) == ([c, d, g, l], [l], [i, j, k])


def test_reference_verifiers_accept_every_honest_proof_up_to_64_leaves():
    for n in range(1, 65):
        for m in range(n):
            assert rfc_verify_inclusion(sym_node, m, n, SYM.leaf(m), SYM.path(m, n), SYM.root(n))
            assert rfc_verify_consistency(sym_node, m + 1, n, SYM.root(m + 1), SYM.root(n), SYM.PROOF(m + 1, n))
