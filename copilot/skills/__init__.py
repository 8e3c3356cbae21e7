"""Skills: answer, draft, summarize, suggest and faq, one package each; pure functions of their
inputs and ports. Shared: `grounding` (packing, markers, citations), `language`, `fallback`
("the LLM, else the offline engine"), `llm_json` and the output models in `results`."""
