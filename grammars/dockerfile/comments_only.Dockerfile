# syntax=docker/dockerfile:1
# Only comments and blank lines.

   # an indented comment
#
