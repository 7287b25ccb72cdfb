"""A tiny BERT-style cross-encoder for SERAC's scope classifier: `<s>edit<sep>query` -> 2 logits
(out of scope, in scope); and a plain BERT encoder (SentenceEncoder) for the sentence-embedding test
fixture (train_sentence_embedding.py). Parameter names follow Hugging Face's BertForSequenceClassification,
plus one addition: a "match" embedding added to every token whose id also occurs on the other
side of <sep> (computed inside the graph from input_ids), which lets a 2-layer model compare
subjects and relation words at once. So it is BERT-like, not loadable as plain `bert`.
Only segment 0 exists (type_vocab_size 1), so the ONNX graph needs no token_type_ids.
"""
import torch
import torch.nn.functional as F
from torch import nn

MASK_VALUE = -1e9


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.query = nn.Linear(c, c)
        self.key = nn.Linear(c, c)
        self.value = nn.Linear(c, c)


class Dense(nn.Module):
    """HF's `*.output`: dense + LayerNorm applied to (dense(x) + residual)."""

    def __init__(self, c_in, c, eps):
        super().__init__()
        self.dense = nn.Linear(c_in, c)
        self.LayerNorm = nn.LayerNorm(c, eps=eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class AttentionBlock(nn.Module):
    def __init__(self, c, eps):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = Dense(c, c, eps)


class Intermediate(nn.Module):
    def __init__(self, c, f):
        super().__init__()
        self.dense = nn.Linear(c, f)


class Layer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, f, eps = cfg["hidden_size"], cfg["intermediate_size"], cfg["layer_norm_eps"]
        self.nh = cfg["num_attention_heads"]
        self.attention = AttentionBlock(c, eps)
        self.intermediate = Intermediate(c, f)
        self.output = Dense(f, c, eps)

    def forward(self, x, mask):
        b, t, c = x.shape
        hs = c // self.nh
        sa = self.attention.self

        def heads(y):
            return y.view(b, t, self.nh, hs).transpose(1, 2)  # (B, NH, T, HS)

        q, k, v = heads(sa.query(x)), heads(sa.key(x)), heads(sa.value(x))
        att = F.softmax(q @ k.transpose(-1, -2) / hs**0.5 + mask, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)
        x = self.attention.output(y, x)
        return self.output(F.gelu(self.intermediate.dense(x)), x)


class Embeddings(nn.Module):
    def __init__(self, cfg, match=True):
        super().__init__()
        c = cfg["hidden_size"]
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], c)  # (V, C)
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], c)
        self.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], c)
        if match:
            self.match_embeddings = nn.Embedding(2, c)  # (2, C): token id absent / present across <sep>
        self.LayerNorm = nn.LayerNorm(c, eps=cfg["layer_norm_eps"])


def cross_match(input_ids, attention_mask, sep_id):
    """(B, T) long: 1 where the token's id also appears on the other side of <sep>."""
    side = torch.cumsum((input_ids == sep_id).long(), dim=1)  # 0 before <sep>, 1 from it on
    same_id = input_ids[:, :, None] == input_ids[:, None, :]  # (B, T, T)
    other_side = side[:, :, None] != side[:, None, :]
    valid = (attention_mask[:, None, :] > 0) & (input_ids[:, None, :] != sep_id)
    return (same_id & other_side & valid).any(dim=-1).long()


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c, c)


class Bert(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(Layer(cfg) for _ in range(cfg["num_hidden_layers"]))
        self.pooler = Pooler(cfg["hidden_size"])


class ScopeClassifier(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.sep_id = cfg["sep_token_id"]
        self.bert = Bert(cfg)
        self.classifier = nn.Linear(cfg["hidden_size"], cfg["num_labels"])

    def forward(self, input_ids, attention_mask):
        """input_ids, attention_mask (B, T) -> logits (B, 2); pooled from the first token."""
        e = self.bert.embeddings
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)[None]
        match = e.match_embeddings(cross_match(input_ids, attention_mask, self.sep_id))
        x = e.word_embeddings(input_ids) + e.position_embeddings(pos) + e.token_type_embeddings.weight[0] + match
        x = e.LayerNorm(x)
        mask = (attention_mask[:, None, None, :] == 0).float() * MASK_VALUE  # (B, 1, 1, T)
        for layer in self.bert.encoder.layer:
            x = layer(x, mask)
        pooled = torch.tanh(self.bert.pooler.dense(x[:, 0]))
        return self.classifier(pooled)


class SentenceEncoder(nn.Module):
    """Plain BERT (Hugging Face BertModel without pooler): one text -> its last hidden state. No match
    embedding, so transformers.js can run it as `bert` in its feature-extraction pipeline."""

    def __init__(self, cfg):
        super().__init__()
        self.embeddings = Embeddings(cfg, match=False)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(Layer(cfg) for _ in range(cfg["num_hidden_layers"]))

    def forward(self, input_ids, attention_mask):
        """input_ids, attention_mask (B, T) -> last_hidden_state (B, T, C)."""
        e = self.embeddings
        pos = torch.arange(input_ids.shape[1], device=input_ids.device)[None]
        x = e.LayerNorm(e.word_embeddings(input_ids) + e.position_embeddings(pos) + e.token_type_embeddings.weight[0])
        mask = (attention_mask[:, None, None, :] == 0).float() * MASK_VALUE  # (B, 1, 1, T)
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x


def hf_config(cfg, bos, eos, pad):
    return {
        "architectures": ["EditscopeScopeCrossEncoder"],
        "model_type": "editscope-scope",
        "base_model_type": "bert",
        **cfg,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "id2label": {"0": "OUT_OF_SCOPE", "1": "IN_SCOPE"},
        "label2id": {"OUT_OF_SCOPE": 0, "IN_SCOPE": 1},
        "bos_token_id": bos, "eos_token_id": eos, "pad_token_id": pad,
        "torch_dtype": "float32",
        "transformers_version": "4.46.0",
    }
