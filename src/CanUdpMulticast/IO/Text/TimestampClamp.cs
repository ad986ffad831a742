namespace CanUdpMulticast.IO.Text;

/// <summary>
/// python-can's writer rule for times: a frame whose timestamp is earlier than the last one written (or not a
/// number) is written with the last one, so the file's times never go backwards.
/// </summary>
internal struct TimestampClamp
{
    private double _last;
    private bool _started;

    public double Apply(double timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = double.IsFinite(timestamp) && timestamp > 0 ? timestamp : 0.0;
            return _last;
        }

        if (timestamp >= _last && double.IsFinite(timestamp))
        {
            _last = timestamp;
        }

        return _last;
    }
}
