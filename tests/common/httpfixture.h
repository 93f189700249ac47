// A small HTTP/1.1 server on 127.0.0.1 for download tests, run by the test's
// own event loop: each path answers with a scripted behaviour (an image, an
// error status, a redirect, a stall, a body cut short, ...). Every response
// closes its connection, so each request is one connection.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <memory>

namespace pixelperf::testing {

struct HttpRoute {
    enum class Mode {
        Normal, // status line, headers, the whole body, close
        Stall, // read the request, never answer
        StallAfter, // headers (full Content-Length) and `sendBytes` of the body, then silence
        CutShort, // headers (full Content-Length) and `sendBytes` of the body, then close
        NoLength, // no Content-Length: the body ends when the connection closes
        Held, // answered normally only when releaseHeld() is called
        Trickle, // the whole body, `sendBytes` every 40 ms (a slow link), then close
    };
    int status = 200;
    QByteArray reason = "OK";
    QByteArray contentType = "image/jpeg";
    QByteArray body;
    QByteArray location; // for redirects
    QByteArray extraHeader; // a whole header line, without its CRLF (e.g. one of 1 MiB)
    Mode mode = Mode::Normal;
    qint64 sendBytes = 0;
};

inline HttpRoute imageRoute(const QByteArray &body, const QByteArray &type = "image/jpeg")
{
    HttpRoute r;
    r.body = body;
    r.contentType = type;
    return r;
}

inline HttpRoute statusRoute(int status, const QByteArray &reason)
{
    HttpRoute r;
    r.status = status;
    r.reason = reason;
    r.contentType = "text/html";
    r.body = "<html><body><h1>" + QByteArray::number(status) + " " + reason + "</h1></body></html>";
    return r;
}

inline HttpRoute redirectRoute(const QByteArray &location, int status = 302)
{
    HttpRoute r = statusRoute(status, "Found");
    r.location = location;
    return r;
}

inline HttpRoute modeRoute(HttpRoute::Mode mode, const QByteArray &body = {}, qint64 sendBytes = 0)
{
    HttpRoute r = imageRoute(body);
    r.mode = mode;
    r.sendBytes = sendBytes;
    return r;
}

class HttpFixture
{
public:
    HttpFixture()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }
    ~HttpFixture() { closeAll(); }
    HttpFixture(const HttpFixture &) = delete;
    HttpFixture &operator=(const HttpFixture &) = delete;

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    quint16 port() const { return m_server.serverPort(); }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path));
    }
    void setRoute(const QByteArray &path, const HttpRoute &route) { m_routes.insert(path, route); }
    int hits(const QByteArray &path) const { return m_hits.value(path); }
    int totalHits() const
    {
        int n = 0;
        for (int h : m_hits)
            n += h;
        return n;
    }
    void resetHits() { m_hits.clear(); }

    // Held requests, waiting for releaseHeld(); peakHeld() is the most ever waiting at once.
    int held() const { return int(m_held.size()); }
    int peakHeld() const { return m_peakHeld; }
    void releaseHeld()
    {
        const auto waiting = std::move(m_held);
        m_held.clear();
        for (const Held &h : waiting)
            if (h.socket)
                writeResponse(h.socket, h.route, h.route.body.size(), true);
    }

    // Drops every open connection (stalled ones included).
    void closeAll()
    {
        m_held.clear();
        for (const QPointer<QTcpSocket> &s : std::as_const(m_sockets))
            if (s)
                s->abort();
        m_sockets.clear();
    }

private:
    struct Held {
        QPointer<QTcpSocket> socket;
        HttpRoute route;
    };

    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            m_sockets.append(socket);
            auto buffer = std::make_shared<QByteArray>();
            auto answered = std::make_shared<bool>(false);
            QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer, answered] {
                buffer->append(socket->readAll());
                if (*answered || !buffer->contains("\r\n\r\n"))
                    return;
                *answered = true;
                const QList<QByteArray> requestLine = buffer->left(buffer->indexOf("\r\n")).split(' ');
                QByteArray path = requestLine.value(1);
                if (const qsizetype q = path.indexOf('?'); q >= 0)
                    path.truncate(q);
                answer(socket, path);
            });
            QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void answer(QTcpSocket *socket, const QByteArray &path)
    {
        m_hits[path] += 1;
        const auto it = m_routes.constFind(path);
        const HttpRoute route = it != m_routes.cend() ? *it : statusRoute(404, "Not Found");
        switch (route.mode) {
        case HttpRoute::Mode::Normal:
            writeResponse(socket, route, route.body.size(), true);
            break;
        case HttpRoute::Mode::Stall:
            break;
        case HttpRoute::Mode::StallAfter:
            writeResponse(socket, route, route.sendBytes, false);
            break;
        case HttpRoute::Mode::CutShort:
            writeResponse(socket, route, route.sendBytes, true);
            break;
        case HttpRoute::Mode::NoLength:
            writeResponse(socket, route, route.body.size(), true, false);
            break;
        case HttpRoute::Mode::Held:
            m_held.append({ socket, route });
            m_peakHeld = std::max(m_peakHeld, int(m_held.size()));
            break;
        case HttpRoute::Mode::Trickle: {
            writeResponse(socket, route, 0, false);
            auto *timer = new QTimer(socket);
            auto sent = std::make_shared<qint64>(0);
            QObject::connect(timer, &QTimer::timeout, socket, [socket, timer, sent, route] {
                const qint64 step = std::max<qint64>(1, route.sendBytes);
                socket->write(route.body.mid(*sent, step));
                *sent += step;
                if (*sent >= route.body.size()) {
                    timer->stop();
                    socket->disconnectFromHost();
                }
            });
            timer->start(40);
            break;
        }
        }
    }

    static void writeResponse(
        QTcpSocket *socket, const HttpRoute &route, qint64 bodyBytes, bool close, bool withLength = true)
    {
        QByteArray head = "HTTP/1.1 " + QByteArray::number(route.status) + ' ' + route.reason + "\r\n";
        head += "Content-Type: " + route.contentType + "\r\n";
        if (withLength)
            head += "Content-Length: " + QByteArray::number(route.body.size()) + "\r\n";
        if (!route.location.isEmpty())
            head += "Location: " + route.location + "\r\n";
        if (!route.extraHeader.isEmpty())
            head += route.extraHeader + "\r\n";
        head += "Connection: close\r\n\r\n";
        socket->write(head);
        socket->write(route.body.left(bodyBytes));
        if (close)
            socket->disconnectFromHost(); // after the buffered bytes are written
    }

    QTcpServer m_server;
    QHash<QByteArray, HttpRoute> m_routes;
    QHash<QByteArray, int> m_hits;
    QList<QPointer<QTcpSocket>> m_sockets;
    QList<Held> m_held;
    int m_peakHeld = 0;
};

} // namespace pixelperf::testing
