"""Streamlit chat over the corpus (placeholder until the app issue lands)."""

import streamlit as st

st.set_page_config(page_title="Assistant coopération territoriale", page_icon="🗺️")
st.title("Assistant coopération territoriale")
st.write("Posez vos questions depuis le terminal : `python -m assistant ask \"Qu'est-ce qu'un PETR ?\"`")
