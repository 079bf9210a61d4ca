# Textos de reserva del widget de recorridos, que solo se usan cuando no se puede contactar con el servidor
# (o cuando no dice nada sobre la situación). Todos los demás textos vienen del servidor.
# El widget incluye este archivo al compilar y solo lee líneas sencillas `clave = valor`.
widget-loading = Cargando…
widget-network-error = No hemos podido conectar con el servidor. Comprueba tu conexión e inténtalo de nuevo.
widget-retry = Reintentar
widget-start-again = Empezar de nuevo
