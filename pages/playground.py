"""Placeholder until the Playground page lands: proves the app and nn_core run together."""

import streamlit as st

import nn_core

st.title("NumPy Neural Network Playground")
X, y = nn_core.make_dataset("moons", n_samples=200, noise=0.1, rng=0)
model = nn_core.MLP([2, 8, 1], rng=0)
trainer = nn_core.Trainer(model, loss="bce", optimizer="adam", learning_rate=0.03, rng=0)
trainer.train(X, y, 100)
st.metric("Training accuracy after 100 epochs", f"{trainer.history[-1]['train_accuracy']:.0%}")
