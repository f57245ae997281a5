# escape=!
# syntax=one
# syntax=two
FROM alpine
