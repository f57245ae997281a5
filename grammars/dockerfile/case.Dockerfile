from alpine as Builder
run echo lower
Run echo mixed
cOpY a /b
EnTrYpOiNt ["sh"]
healthcheck none
FROM builder
