#!/bin/sh
# Dormant confine: no service may start while a package script runs against an offline image.
exit 101
