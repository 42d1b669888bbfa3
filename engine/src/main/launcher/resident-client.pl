#!/usr/bin/perl
# Hands `dormant patch apply` to the resident Dormant process that serves this build, JVM options
# and environment, without starting a JVM here: the launcher (./dormant) runs this for every such
# command, after starting that process when its socket is not there. A JVM that only hands a
# command over takes about a third of a second of the two cores to start; this takes a few
# milliseconds. The protocol is engine/src/main/java/io/dormant/engine/cli/ResidentFrames.java's.
#
#   resident-client.pl SOCKET KEY STARTED_AT STARTING COUNT ARGUMENT... FALLBACK...
#
# STARTED_AT is the launcher's start in epoch seconds (bash's EPOCHREALTIME). STARTING is the pid of
# the resident process the launcher has just started (0 when its socket existed): the client waits
# for its socket while it runs, for at most 20 s (ResidentClient's wait). The FALLBACK command
# (the launcher's own `java ... -jar dormant.jar ARGUMENT...`) is run instead, with the same
# process id, whenever the command cannot be handed over: no process listens, it is busy, or an
# argument is not plain ASCII (the JVM decodes those by its locale; it does so itself).
# Only perl-base's modules: Perl is essential on Debian, its other packages are not.
use strict;
use warnings;

my ($socket, $key, $started, $starting, $count, @rest) = @ARGV;
my @arguments = splice(@rest, 0, $count);
my @fallback = @rest;

sub fallback {
    exec { $fallback[0] } @fallback;
    die "error: cannot run $fallback[0]: $!\n";
}

# Loaded here, not with `use`: a Perl without them runs the command in its JVM instead of failing.
eval { require Cwd; require IO::Socket::UNIX; require Socket; 1 } or fallback();

sub utf {
    my ($text) = @_;
    return pack('n', length $text) . $text;
}

my $directory = Cwd::getcwd();
fallback() unless defined $directory;
for my $text ($directory, @arguments) {
    fallback() if $text =~ /[^\x01-\x7f]/ || length $text > 65535;
}

sub connected {
    return IO::Socket::UNIX->new(Type => Socket::SOCK_STREAM(), Peer => $socket);
}

my $channel = connected();
if (!$channel && $starting) {
    # One that ends without listening may have found another resident process serving the key.
    my $deadline = time + 20;
    while (!$channel && time < $deadline) {
        # It is this process's child (the launcher exec'd into it): an ended one is reaped here,
        # where kill 0 would still find it as a zombie. 1 is WNOHANG.
        my $reaped = waitpid($starting, 1);
        my $alive = $reaped == 0 || ($reaped < 0 && kill 0, $starting);
        select(undef, undef, undef, 0.02);
        $channel = connected();
        last unless $alive;
    }
}
fallback() unless $channel;
binmode $channel;

# Java's System.console(): standard input and output both a terminal.
my $terminal = (-t STDIN && -t STDOUT) ? 1 : 0;
my $request = pack('N', 2) . utf($key) . utf('launcher') . utf($directory) . pack('C', $terminal)
    . pack('q>', int($started * 1000)) . pack('N', scalar @arguments) . join('', map { utf($_) } @arguments);
print {$channel} $request or fallback();
$channel->flush or fallback();

sub take {
    my ($length) = @_;
    my $bytes = '';
    while (length $bytes < $length) {
        my $read = sysread($channel, $bytes, $length - length $bytes, length $bytes);
        return undef unless $read;
    }
    return $bytes;
}

my $answer = take(1);
fallback() unless defined $answer && $answer eq 'A';

sub gone {
    (my $log = $socket) =~ s{[^/]*$}{resident.log};
    print STDERR "error: the resident Dormant process ended before the command finished; see $log,"
        . " then run the command again (DORMANT_RESIDENT=0 runs it without one)\n";
    exit 1;
}

while (1) {
    my $kind = take(1);
    gone() unless defined $kind;
    if ($kind eq 'X') {
        my $code = take(4);
        gone() unless defined $code;
        exit(unpack('l>', $code) & 0xff);
    }
    my $header = take(4);
    gone() unless defined $header;
    my $data = take(unpack('N', $header));
    gone() unless defined $data;
    my $target = $kind eq 'O' ? \*STDOUT : \*STDERR;
    while (length $data) {
        my $written = syswrite($target, $data);
        exit 1 unless defined $written;
        substr($data, 0, $written) = '';
    }
}
