# Sourced by the scripts in this folder. A script refuses an argument it
# does not take, so that none is silently dropped (a board named after an
# option, a second board, a board given to a script that reads BOARD=).
#   at_most N "USAGE" "$@"    exit 2 with USAGE if there are more than N
at_most() {
    local n="$1" usage="$2"
    shift 2
    if [ $# -gt "$n" ]; then
        echo "$(basename "$0"): unexpected argument '${*:n+1:1}'; usage: $usage" >&2
        exit 2
    fi
}
